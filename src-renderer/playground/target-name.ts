import type { CatalogDocument } from '../../src-shared/catalog/document';
import { modelById, profileById } from '../../src-shared/catalog/queries';

/**
 * What a narrow target field shows while it is not being edited: the model's or profile's name ("Claude 3 Haiku",
 * "US Claude Haiku 4.5" for the profile AWS calls "US Anthropic Claude Haiku 4.5"), which stays readable where the id ("anthropic.claude-3-haiku-20240307-v1:0") is
 * cut after its provider. Null for text that names no exact id: the field then shows what was typed.
 */
export function targetDisplayName(document: CatalogDocument, target: string): string | null {
  const id = target.trim();
  if (!id) return null;
  const profile = profileById(document, id);
  if (profile) {
    // "US Claude Haiku 4.5" rather than AWS's "US Anthropic Claude Haiku 4.5": the scope and the model, short enough.
    const model = modelById(document, profile.modelId);
    const scope = profile.scope === 'global' ? 'Global' : profile.scope.toUpperCase();
    return model ? `${scope} ${model.modelName}` : profile.name;
  }
  const model = modelById(document, id);
  return model ? model.modelName : null;
}
