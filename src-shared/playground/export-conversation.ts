import type { Conversation } from '../contract/playground';
import { metricsLine } from './describe-result';

/**
 * A saved conversation as a file: JSON (the stored document, whole) or Markdown for reading and sharing.
 *
 * Everything in the Markdown that came from a model, the user or the catalog is text, never markup: a renderer
 * that allows HTML (most do) must not run `<script>`, follow a `javascript:` link or load `<img onerror>` from an
 * answer. So HTML's `<`, `>` and `&` become entities, Markdown's punctuation is backslash-escaped, ESC and the
 * other control characters are shown as their Unicode pictures, and a title stays on one line. Text inside a code
 * fence is not Markdown, so it keeps its characters; the fence is longer than any run of backticks inside it.
 */

export function conversationAsJson(conversation: Conversation): string {
  return `${JSON.stringify(conversation, null, 2)}\n`;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const controlPicture = (character: string) => {
  const code = character.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
};

/** One line of plain text: no markup, no control characters, no line break. */
export function markdownInline(text: string): string {
  return escapeMarkdown(text.replace(/\r\n?|\n|\t/g, ' '));
}

/** Text that may span lines, every line plain; blank lines kept. */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => escapeMarkdown(line.replace(/\t/g, '    ')))
    .join('\n');
}

function escapeMarkdown(text: string): string {
  return text
    .replace(CONTROL, controlPicture)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Emphasis, code, links and images (no `[` means no link), tables and strikethrough, anywhere on the line.
    .replace(/[\\`*_[\]|~]/g, (character) => `\\${character}`)
    // Headings, lists, setext underlines and indented code only start a line.
    .replace(/^(\s*)([#+=-]|\d+[.)])/, (_match, spaces: string, marker: string) => `${'&nbsp;'.repeat(spaces.length)}${marker.replace(/^(\d+)?(.)$/, '$1\\$2')}`);
}

/** A fenced code block that its content cannot close: the fence is longer than any backtick run inside. */
export function codeBlock(text: string, language = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language.replace(/[^a-z0-9+-]/gi, '')}\n${text.replace(CONTROL, controlPicture)}\n${fence}`;
}

/** Answers keep their code blocks as code: each ``` block becomes a safe fence, the prose around it plain text. */
function answerText(text: string): string {
  const parts: string[] = [];
  const fenced = /^(`{3,})([^\n`]*)\n([\s\S]*?)\n\1[ \t]*$/gm;
  let last = 0;
  for (let match = fenced.exec(text); match; match = fenced.exec(text)) {
    if (match.index > last) parts.push(markdownText(text.slice(last, match.index).replace(/\n$/, '')));
    const [, , info = '', code = ''] = match; // both groups always take part in a match
    parts.push(codeBlock(code, info.trim()));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(markdownText(text.slice(last).replace(/^\n/, '')));
  return parts.join('\n');
}

const quote = (text: string) => text.split('\n').map((line) => `> ${line}`).join('\n');

export function conversationAsMarkdown(conversation: Conversation): string {
  const lines = [
    `# ${markdownInline(conversation.title)}`,
    '',
    `Saved ${markdownInline(conversation.updatedAt)} · ${conversation.panes.length} pane${conversation.panes.length === 1 ? '' : 's'}`,
    '',
  ];
  if (conversation.system) lines.push('**System prompt**', '', quote(markdownText(conversation.system)), '');
  conversation.panes.forEach((pane, index) => {
    lines.push(`## Pane ${index + 1}: ${markdownInline(pane.target)} from ${markdownInline(pane.region)}`, '');
    const settings = [
      pane.inferenceConfig?.maxTokens !== undefined ? `maxTokens ${pane.inferenceConfig.maxTokens}` : null,
      pane.inferenceConfig?.temperature !== undefined ? `temperature ${pane.inferenceConfig.temperature}` : null,
      pane.inferenceConfig?.topP !== undefined ? `topP ${pane.inferenceConfig.topP}` : null,
      pane.inferenceConfig?.stopSequences?.length ? `stop ${pane.inferenceConfig.stopSequences.map((stop) => markdownInline(JSON.stringify(stop))).join(', ')}` : null,
      pane.latency ? `latency ${pane.latency}` : null,
      pane.serviceTier ? `tier ${pane.serviceTier}` : null,
      pane.autoProfile ? 'routed automatically' : null,
    ].filter(Boolean);
    if (settings.length > 0) lines.push(`*${settings.join(' · ')}*`, '');
    for (const turn of pane.turns) {
      const text = turn.content
        .map((block) => ('text' in block ? (turn.role === 'assistant' ? answerText(block.text) : markdownText(block.text)) : `[image: ${markdownInline(block.image.format)}]`))
        .join('\n\n');
      lines.push(turn.role === 'user' ? '**You**' : '**Model**', '', text || '*(no text)*', '');
      if (turn.result) lines.push(`<sub>${markdownInline(metricsLine(pane, turn.result))}</sub>`, '');
      if (turn.error) lines.push(`**${markdownInline(turn.error.name)}:** ${markdownInline(turn.error.message)}`, '');
    }
  });
  return `${lines.join('\n').trimEnd()}\n`;
}
