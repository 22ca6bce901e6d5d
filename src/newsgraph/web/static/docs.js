// Starts Swagger UI on /docs (a file, not an inline script, so the Content-Security-Policy stays strict).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
