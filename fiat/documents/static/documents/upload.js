// Drag and drop for the upload form. Dropped files are put in the form's
// file input and the form is sent at once. Files chosen with the picker are
// listed and sent with the Upload button. Without JavaScript the plain file
// input still works.
(function () {
  "use strict";

  var form = document.querySelector("[data-upload-form]");
  if (!form) {
    return;
  }
  var zone = form.querySelector("[data-drop-zone]");
  var input = form.querySelector('input[type="file"]');
  var list = form.querySelector("[data-file-list]");

  function listFiles(files) {
    list.replaceChildren();
    Array.prototype.forEach.call(files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name;
      list.appendChild(item);
    });
  }

  function hasFiles(event) {
    var types = event.dataTransfer ? event.dataTransfer.types : [];
    return Array.prototype.indexOf.call(types, "Files") !== -1;
  }

  input.addEventListener("change", function () {
    listFiles(input.files);
  });

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      if (!hasFiles(event)) {
        return;
      }
      event.preventDefault();
      zone.classList.add("is-dragging");
    });
  });

  zone.addEventListener("dragleave", function (event) {
    if (!zone.contains(event.relatedTarget)) {
      zone.classList.remove("is-dragging");
    }
  });

  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("is-dragging");
    var files = event.dataTransfer ? event.dataTransfer.files : null;
    if (!files || files.length === 0) {
      return;
    }
    input.files = files;
    listFiles(files);
    form.requestSubmit();
  });
})();
