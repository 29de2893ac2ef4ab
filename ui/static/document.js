// The document viewer (a panel over the page): the highlighted span scrolled to the upper third
// of the viewer; ✕ or Escape closes it.
element.addEventListener('click', (event) => {
  if (event.target.closest('.fn-close-doc')) trigger('close_doc', {});
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && element.querySelector('.fn-docview') && element.offsetParent !== null) {
    trigger('close_doc', {});
  }
});
const show = () => {
  const hit = element.querySelector('#fn-doc-hit');
  const box = element.querySelector('.fn-doc-text');
  if (!hit || !box) return;
  box.scrollTop = Math.max(0, hit.offsetTop - box.clientHeight / 3);
  const close = element.querySelector('.fn-close-doc');
  if (close) close.focus({ preventScroll: true });
};
const later = () => { requestAnimationFrame(show); setTimeout(show, 150); };
watch('value', later);
later();
