// The sources panel: "Open in document", and bring the panel into view when it changes (phones).
element.addEventListener('click', (event) => {
  const b = event.target.closest('.fn-open-doc');
  if (b) trigger('open_doc', { turn: Number(b.dataset.turn), marker: Number(b.dataset.cite) });
});
watch('value', () => {
  const r = element.getBoundingClientRect();
  if (r.top < 0 || r.top > window.innerHeight * 0.75) element.scrollIntoView({ behavior: 'smooth', block: 'start' });
});
