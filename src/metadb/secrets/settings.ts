import { z } from 'zod';

/**
 * KekSettingsSchema validates the key-encryption-key settings of the `auth:` section. The KEK
 * (32 bytes, base64 or hex) encrypts secret access keys and session credentials in meta.db. It comes
 * from `kek` (best given as AMPHORA_KEK, not written in a config file), else from `kekFile`
 * (default `<data-dir>/kek`, generated 0600 on first start when absent).
 */
export const KekSettingsSchema = z
  .object({
    /** kekFile holds the key (base64 of 32 bytes); default <data-dir>/kek. */
    kekFile: z.string().min(1).optional(),
    /** kek is the key itself (base64 or hex of 32 bytes); takes precedence over kekFile. */
    kek: z.string().min(1).optional(),
  })
  .strict();

/** KekSettings are the validated KEK settings. */
export type KekSettings = z.infer<typeof KekSettingsSchema>;

/** KEK_ENV_KEYS maps environment variables to the KEK settings of the `auth:` section. */
export const KEK_ENV_KEYS: Readonly<Record<string, keyof KekSettings>> = {
  AMPHORA_KEK: 'kek',
  AMPHORA_KEK_FILE: 'kekFile',
};
