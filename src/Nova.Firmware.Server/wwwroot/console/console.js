// The console's only script of its own: a firmware upload that reports its progress. Blazor's
// circuit carries no upload progress; the browser's XMLHttpRequest does, and the request goes to
// the management API itself (signed in with the console cookie, same-origin), so the catalog's
// import rules, hash check and audit apply unchanged. The file never passes through the circuit:
// it is taken from the file input (MudFileUpload's) inside `picker`. MudFileUpload adds a fresh
// input after each choice (so the same file can be chosen again): the file chosen last is in the
// last input that holds one.
window.novaConsole = {
  upload: function (picker, fields, url, progressSink) {
    return new Promise(function (resolve) {
      var inputs = picker.querySelectorAll("input[type=file]");
      var input = null;
      for (var i = inputs.length - 1; i >= 0 && !input; i--) {
        if (inputs[i].files.length > 0) { input = inputs[i]; }
      }
      if (!input) {
        resolve({ status: 0, body: "Choose a file first." });
        return;
      }
      var request = new XMLHttpRequest();
      request.open("POST", url);
      request.upload.onprogress = function (e) {
        if (e.lengthComputable) { progressSink.invokeMethodAsync("Progress", e.loaded, e.total); }
      };
      request.onload = function () { resolve({ status: request.status, body: request.responseText }); };
      request.onerror = function () { resolve({ status: 0, body: "The upload could not reach the server." }); };
      // Fields left empty are not sent: the importer treats a sent field as given.
      var data = new FormData();
      Object.keys(fields).forEach(function (key) {
        if (fields[key] !== null && fields[key] !== "") { data.append(key, fields[key]); }
      });
      data.append("file", input.files[0]);
      request.send(data);
    });
  }
};
