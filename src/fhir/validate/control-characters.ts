// FHIR strings hold no Unicode code points below 32 but tab, CR and LF (R4 §2.24.0.1 "string"),
// NUL included — which PostgreSQL's text type cannot store either. One rule for resources and
// search values alike.

/** Whether `text` holds a control character a FHIR string may not. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return true;
  }
  return false;
}
