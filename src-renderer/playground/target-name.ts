import type { CatalogDocument } from '../../src-shared/catalog/document';
import { modelById, profileById } from '../../src-shared/catalog/queries';

/**
 * What a narrow target field shows while it is not being edited: the model's or profile's name ("Claude 3 Haiku",
 * "US Claude Haiku 4.5"), which stays readable where the id ("anthropic.claude-3-haiku-20240307-v1:0") is
 * cut after its provider. Null for text that names no exact id: the field then shows what was typed.
 */
export function targetDisplayName(document: CatalogDocument, target: string): string | null {
  const id = target.trim();
  if (!id) return null;
  const profile = profileById(document, id);
  if (profile) return profile.name;
  const model = modelById(document, id);
  return model ? model.modelName : null;
}
