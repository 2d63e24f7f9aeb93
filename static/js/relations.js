// Relations screens: copy a greeting to the clipboard (select + execCommand where the
// Clipboard API is not allowed), print buttons, selects that submit their form.
document.addEventListener('click', async (ev) => {
  const copy = ev.target.closest('.rel-copy');
  if (copy) {
    const box = document.getElementById(copy.dataset.copy);
    box.focus();
    box.select();
    let ok = false;
    try {
      await navigator.clipboard.writeText(box.value);
      ok = true;
    } catch (e) {
      try { ok = document.execCommand('copy'); } catch (e2) { ok = false; }
    }
    if (ok) {
      copy.textContent = copy.dataset.done;
      copy.classList.add('copied');
    }
    return;
  }
  if (ev.target.closest('[data-print]')) window.print();
});
document.addEventListener('change', (ev) => {
  if (ev.target.matches('select[data-autosubmit]')) ev.target.form.submit();
});
