import type { Conversation } from '../contract/playground';
import { metricsLine } from './describe-result';

/** A saved conversation as a file: JSON (the stored document, whole) or Markdown for reading and sharing. */

export function conversationAsJson(conversation: Conversation): string {
  return `${JSON.stringify(conversation, null, 2)}\n`;
}

const quote = (text: string) => text.split('\n').map((line) => `> ${line}`).join('\n');

export function conversationAsMarkdown(conversation: Conversation): string {
  const lines = [`# ${conversation.title}`, '', `Saved ${conversation.updatedAt} · ${conversation.panes.length} pane${conversation.panes.length === 1 ? '' : 's'}`, ''];
  if (conversation.system) lines.push('**System prompt**', '', quote(conversation.system), '');
  conversation.panes.forEach((pane, index) => {
    lines.push(`## Pane ${index + 1}: ${pane.target} from ${pane.region}`, '');
    const settings = [
      pane.inferenceConfig?.maxTokens !== undefined ? `maxTokens ${pane.inferenceConfig.maxTokens}` : null,
      pane.inferenceConfig?.temperature !== undefined ? `temperature ${pane.inferenceConfig.temperature}` : null,
      pane.inferenceConfig?.topP !== undefined ? `topP ${pane.inferenceConfig.topP}` : null,
      pane.inferenceConfig?.stopSequences?.length ? `stop ${pane.inferenceConfig.stopSequences.map((stop) => JSON.stringify(stop)).join(', ')}` : null,
      pane.latency ? `latency ${pane.latency}` : null,
      pane.serviceTier ? `tier ${pane.serviceTier}` : null,
      pane.autoProfile ? 'routed automatically' : null,
    ].filter(Boolean);
    if (settings.length > 0) lines.push(`*${settings.join(' · ')}*`, '');
    for (const turn of pane.turns) {
      const text = turn.content.map((block) => ('text' in block ? block.text : `[image: ${block.image.format}]`)).join('\n\n');
      lines.push(turn.role === 'user' ? '**You**' : '**Model**', '', text || '*(no text)*', '');
      if (turn.result) lines.push(`<sub>${metricsLine(pane, turn.result)}</sub>`, '');
      if (turn.error) lines.push(`**${turn.error.name}:** ${turn.error.message}`, '');
    }
  });
  return `${lines.join('\n').trimEnd()}\n`;
}
