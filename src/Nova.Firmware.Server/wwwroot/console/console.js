// The console's only script of its own: a firmware upload that reports its progress. Blazor's
// circuit carries no upload progress; the browser's XMLHttpRequest does, and the request goes to
// the management API itself (signed in with the console cookie, same-origin), so the catalog's
// import rules, hash check and audit apply unchanged.
window.novaConsole = {
  upload: function (form, url, progressSink) {
    return new Promise(function (resolve) {
      var request = new XMLHttpRequest();
      request.open("POST", url);
      request.upload.onprogress = function (e) {
        if (e.lengthComputable) { progressSink.invokeMethodAsync("Progress", e.loaded, e.total); }
      };
      request.onload = function () { resolve({ status: request.status, body: request.responseText }); };
      request.onerror = function () { resolve({ status: 0, body: "The upload could not reach the server." }); };
      // Fields left empty are not sent: the importer treats a sent field as given.
      var data = new FormData(form);
      Array.from(data.keys()).forEach(function (key) {
        if (data.get(key) === "") { data.delete(key); }
      });
      request.send(data);
    });
  }
};
