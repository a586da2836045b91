// Prints one card of a page on its own: the card carries the class `print-me`, and while the
// browser prints, `print-one` on the body hides every other card (web/src/app.css).
export function printThisCard(): void {
  document.body.classList.add('print-one');
  window.print();
  document.body.classList.remove('print-one');
}
