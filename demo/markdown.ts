function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
}

/** Just enough Markdown for the credits file: headings, lists, paragraphs, bold and code. */
export function markdownToHtml(source: string): string {
  const html: string[] = [];
  let list: string[] | null = null;
  const closeList = () => {
    if (list) html.push(`<ul>${list.join("")}</ul>`);
    list = null;
  };
  for (const line of source.split(/\r?\n/)) {
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const item = /^[-*]\s+(.*)$/.exec(line);
    if (item) {
      (list ??= []).push(`<li>${inline(item[1]!)}</li>`);
      continue;
    }
    closeList();
    if (heading) html.push(`<h${heading[1]!.length + 1}>${inline(heading[2]!)}</h${heading[1]!.length + 1}>`);
    else if (line.trim() !== "") html.push(`<p>${inline(line)}</p>`);
  }
  closeList();
  return html.join("");
}
