() => {
  try {
    const saved = localStorage.getItem('footnotes-theme');
    if (saved === 'dark') document.body.classList.add('dark');
    if (saved === 'light') document.body.classList.remove('dark');
  } catch (e) {}
  // Phones start with the conversation list closed: the chat is what they came for.
  if (window.innerWidth < 760) {
    let tries = 0;
    const close = () => {
      const toggle = document.querySelector('.sidebar.open .toggle-button');
      if (toggle) toggle.click();
      else if (tries++ < 40) setTimeout(close, 50);
    };
    close();
  }
}
