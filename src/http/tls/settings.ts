import { z } from 'zod';

/**
 * TlsSettingsSchema validates the `tls:` section: a PEM certificate chain and key make the listener
 * speak TLS only (1.2 or later); clientCAFile with clientAuth 'optional' or 'require' asks clients
 * for a certificate signed by that CA (mTLS), which then names an IAM principal
 * (src/auth/authn/client-cert.ts).
 */
export const TlsSettingsSchema = z
  .object({
    /** certFile is the server certificate chain (PEM), leaf first. */
    certFile: z.string().min(1),
    /** keyFile is the server's private key (PEM). */
    keyFile: z.string().min(1),
    /** clientCAFile is the CA bundle (PEM) client certificates must chain to. */
    clientCAFile: z.string().min(1).optional(),
    /** clientAuth: 'none' (no client certificates), 'optional' (asked for; SigV4 still works without one), 'require' (every connection presents one). */
    clientAuth: z.enum(['none', 'optional', 'require']).default('none'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.clientAuth !== 'none' && t.clientCAFile === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['clientCAFile'], message: `clientAuth '${t.clientAuth}' needs clientCAFile (the CA that signs client certificates)` });
    }
    if (t.clientAuth === 'none' && t.clientCAFile !== undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['clientAuth'], message: "clientCAFile is set but clientAuth is 'none'; set clientAuth to 'optional' or 'require'" });
    }
  });

/** TlsSettings are the validated `tls:` section. */
export type TlsSettings = z.infer<typeof TlsSettingsSchema>;

/** TLS_ENV_KEYS maps AMPHORA_TLS_* environment variables to the `tls:` section. */
export const TLS_ENV_KEYS: Readonly<Record<string, keyof TlsSettings>> = {
  AMPHORA_TLS_CERT_FILE: 'certFile',
  AMPHORA_TLS_KEY_FILE: 'keyFile',
  AMPHORA_TLS_CLIENT_CA_FILE: 'clientCAFile',
  AMPHORA_TLS_CLIENT_AUTH: 'clientAuth',
};
