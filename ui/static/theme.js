() => {
  const dark = document.body.classList.toggle('dark');
  try { localStorage.setItem('footnotes-theme', dark ? 'dark' : 'light'); } catch (e) {}
}
