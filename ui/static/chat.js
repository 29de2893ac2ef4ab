// The chat pane: one click listener for markers, source rows, feedback thumbs and example questions.
// Runs as the gr.HTML component's js_on_load (`element`, `trigger`, `watch` come from Gradio).
const pane = element.closest('#fn-chat') || element;
let stick = true;
let turns = 0;
pane.addEventListener('scroll', () => {
  stick = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 80;
});
element.addEventListener('click', (event) => {
  const b = event.target.closest('button');
  if (!b || !element.contains(b)) return;
  if (b.dataset.cite !== undefined) {
    element.querySelectorAll('.fn-active').forEach((x) => x.classList.remove('fn-active'));
    element.querySelectorAll('[data-turn="' + b.dataset.turn + '"][data-cite="' + b.dataset.cite + '"]')
      .forEach((x) => x.classList.add('fn-active'));
    trigger('cite', { turn: Number(b.dataset.turn), marker: Number(b.dataset.cite) });
  } else if (b.dataset.feedback) {
    trigger('feedback', { turn: Number(b.dataset.turn), value: b.dataset.feedback });
  } else if (b.dataset.example) {
    stick = true;
    trigger('example', { text: b.dataset.example });
  }
});
watch('value', () => {
  const n = element.querySelectorAll('.fn-turn').length;
  if (n > turns) stick = true;  // a new question: follow it
  turns = n;
  if (stick) pane.scrollTop = pane.scrollHeight;
});
