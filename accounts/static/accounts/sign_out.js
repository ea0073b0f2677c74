// The browsable API's "Sign out": the cookie session is unsafe-method protected, so the POST
// carries the CSRF token the page holds; logout answers 204 with nothing to show, so the
// browser then goes to the sign-in page.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.id !== "sign-out") {
    return;
  }
  event.preventDefault();
  var csrf = JSON.parse(document.getElementById("drf_csrf").textContent);
  var headers = {};
  headers[csrf.csrfHeaderName] = csrf.csrfToken;
  fetch(form.action, { method: "POST", credentials: "same-origin", headers: headers }).then(
    function () {
      window.location.assign(form.dataset.next);
    }
  );
});
