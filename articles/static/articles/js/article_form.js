// The article form, as the writer works (articles/admin_views.py serves both requests):
// - a photo put in a slot brings its credit, caption and alt text into the slot's empty fields;
// - the editorial checks box follows the form, without saving.
(() => {
  "use strict";

  const checksBox = () => document.querySelector("[data-editorial-checks][data-checks-url]");
  // Where to read a photo's rights: the checks box (articles), or a help note (live updates).
  const rightsUrl = () => {
    const holder = document.querySelector("[data-image-rights-url]");
    return holder ? holder.dataset.imageRightsUrl : "";
  };
  let pending = null;
  let latest = 0;

  function refreshChecks() {
    const box = checksBox();
    const form = box && box.closest("form");
    if (!form) return;
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const request = ++latest;
      try {
        const response = await fetch(box.dataset.checksUrl, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
        });
        // An older answer arriving late must not overwrite a newer one.
        if (response.ok && request === latest) box.innerHTML = await response.text();
      } catch (error) {
        // Offline for a moment: the box stays as it was and saving still checks.
      }
    }, 400);
  }

  // The slot's fields, named after its image input: `lead_image` or `body-3-value-image`.
  function slotFields(input) {
    if (input.name === "lead_image") {
      return { credit: "lead_image_credit", caption: "lead_image_caption", alt_text: "lead_image_alt" };
    }
    const match = /^(.*-value-)image$/.exec(input.name);
    if (!match) return null;
    const prefix = match[1];
    return { credit: `${prefix}credit`, caption: `${prefix}caption`, alt_text: `${prefix}alt_text` };
  }

  async function startSlotFromPhoto(input) {
    const names = slotFields(input);
    const template = rightsUrl();
    if (!names || !input.value || !template) return;
    const url = template.replace("/0/", `/${encodeURIComponent(input.value)}/`);
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const found = await response.json();
      for (const [key, name] of Object.entries(names)) {
        const field = input.form && input.form.elements.namedItem(name);
        if (field && found[key] && !field.value.trim()) {
          field.value = found[key];
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
    } catch (error) {
      // The slot's fields stay empty; the writer types them and saving still checks.
    }
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!target.form) return;
    if (slotFields(target)) {
      startSlotFromPhoto(target).then(refreshChecks);
    } else if (checksBox()) {
      refreshChecks();
    }
  });
  document.addEventListener("input", (event) => {
    if (event.target.form && checksBox()) refreshChecks();
  });
})();
