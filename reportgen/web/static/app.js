// reportgen serve: drag and drop onto the upload box, and following a running job.
// Everything works without this file too (choose files with the button, reload the page).
"use strict";

document.querySelectorAll("[data-drop]").forEach((box) => {
  const input = box.querySelector("input[type=file]");
  const chosen = box.querySelector("[data-chosen]");
  const show = () => {
    const names = Array.from(input.files, (f) => f.name);
    chosen.textContent = names.length === 1 ? `Đã chọn ${names[0]}` : names.length ? `Đã chọn ${names.length} tệp.` : "";
  };
  input.addEventListener("change", show);
  box.addEventListener("dragover", (e) => { e.preventDefault(); box.classList.add("over"); });
  box.addEventListener("dragleave", () => box.classList.remove("over"));
  box.addEventListener("drop", (e) => {
    e.preventDefault();
    box.classList.remove("over");
    input.files = e.dataTransfer.files;
    show();
  });
});

document.querySelectorAll("[data-progress]").forEach((box) => {
  const bar = box.querySelector("progress");
  const count = box.querySelector("[data-count]");
  const phase = box.querySelector("p");
  const poll = async () => {
    try {
      const job = await (await fetch(box.dataset.progress, { cache: "no-store" })).json();
      if (!job.running) { location.reload(); return; }
      bar.max = job.total || 1;
      bar.value = job.done;
      count.textContent = `${job.done}/${job.total || "?"}`;
      phase.firstChild.textContent = `${job.phase}… `;
    } catch (err) { /* the server is busy or gone: try again */ }
    setTimeout(poll, 500);
  };
  setTimeout(poll, 500);
});

// Choosing another source assessment refills the new-year form from it.
document.querySelectorAll("select[data-reload]").forEach((select) => {
  select.addEventListener("change", () => {
    location.search = `?${select.dataset.reload}=${encodeURIComponent(select.value)}#tao-moi`;
  });
});
