/**
 * What `tributary import` has to tell about a template, each note at the template line it is about:
 * - `warning`: accepted and ignored — an AWS-only setting with no meaning here (`KmsKeyArn`, `Tags`, IAM roles…);
 * - `unmapped`: not imported — something Tributary cannot do or cannot know (SNS destinations, mTLS, a value only
 *   AWS knows); the user has to decide;
 * - `action`: imported, but the output needs a hand to run (an environment variable for a generated name, code to
 *   download, a container to start).
 */
import { formatLocation, type TemplateLocation } from './template.js';

export type ImportNoteKind = 'warning' | 'unmapped' | 'action';

/** One note. */
export interface ImportNote {
  readonly kind: ImportNoteKind;
  readonly at: TemplateLocation;
  readonly message: string;
}

/** Collects notes in the order they are found. */
export class ImportNotes {
  readonly #notes: ImportNote[] = [];

  add(kind: ImportNoteKind, at: TemplateLocation, message: string): void {
    this.#notes.push({ kind, at, message });
  }

  get all(): readonly ImportNote[] {
    return this.#notes;
  }

  count(kind: ImportNoteKind): number {
    return this.#notes.filter((note) => note.kind === kind).length;
  }
}

const LABELS: Readonly<Record<ImportNoteKind, string>> = { warning: 'warning', unmapped: 'not imported', action: 'to do' };

/** `template.yaml:23:7 not imported: …` */
export function formatNote(note: ImportNote): string {
  return `${formatLocation(note.at)} ${LABELS[note.kind]}: ${note.message}`;
}
