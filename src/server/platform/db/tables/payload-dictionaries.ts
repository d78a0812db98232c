import type { Generated } from 'kysely';

/** Preset deflate dictionaries that event payloads are compressed against. */
export interface PayloadDictionaryTables {
  payloadDictionaries: PayloadDictionariesTable;
}

/**
 * A dictionary built from the first event of an issue. Events name theirs in
 * `events.payload_dictionary_id`. It belongs to the project, not to the issue, because merges
 * move events to other issues, and it is deleted once no event uses it.
 */
export interface PayloadDictionariesTable {
  id: Generated<number>;
  projectId: number;
  /** The issue whose new events are compressed against it; not a foreign key. */
  issueId: number;
  /** Adler-32 of the dictionary, the DICTID that zlib writes into each payload's header. */
  checksum: number;
  /** The dictionary itself, compressed with deflate (without a dictionary). */
  content: Buffer;
  createdAt: number;
}
