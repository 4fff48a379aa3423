/**
 * Limits of one configuration (README "Configuration limits and errors"). They bound the memory and time
 * `validate`, `run` and `resolveConfigObject` spend on any input, however hostile: every check below runs
 * before the input is parsed further, and is refused with a ConfigError at the position where the limit is
 * crossed. A real configuration is far below each of them.
 */
export interface ConfigLimits {
  /** Bytes of a configuration file or text. 1 MiB, what a Kubernetes ConfigMap holds. */
  readonly maxFileBytes: number;
  /** Levels of mappings and lists, the document's own mapping being level 1 (a full pipeline needs 6). */
  readonly maxDepth: number;
  /** Keys, values and collections, counted after YAML aliases are expanded (a pipeline has about 40). */
  readonly maxNodes: number;
  /** Characters of all keys and strings, counted after YAML aliases are expanded. */
  readonly maxTextChars: number;
  /** Pipelines in one configuration. Run more in several processes. */
  readonly maxPipelines: number;
}

/** The limits Tributary applies. */
export const CONFIG_LIMITS: ConfigLimits = Object.freeze({
  maxFileBytes: 1_048_576,
  maxDepth: 32,
  maxNodes: 100_000,
  maxTextChars: 4_194_304,
  maxPipelines: 1_000,
});

/** `1,048,576`: limits and sizes in messages. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
