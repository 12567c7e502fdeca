// Points google-auth-library's token request at the emulator. The library hard-codes
// https://oauth2.googleapis.com/token; this gaxios request interceptor rewrites that origin only,
// on the transporter handed to `new JWT({ ..., transporter })`. Structurally typed so the
// emulator does not depend on gaxios.

export const GOOGLE_TOKEN_ORIGINS = ['https://oauth2.googleapis.com', 'https://www.googleapis.com', 'https://accounts.google.com'];

interface UrlCarrier {
  url?: string | URL;
}

export interface GoogleRedirectInterceptor {
  resolved: <T extends UrlCarrier>(config: T) => Promise<T>;
}

/** Rewrites Google's OAuth origins to `emulatorUrl`, keeping path and query; other URLs pass untouched. */
export function googleTokenRedirect(emulatorUrl: string): GoogleRedirectInterceptor {
  const target = new URL(emulatorUrl);
  return {
    resolved: async <T extends UrlCarrier>(config: T): Promise<T> => {
      if (config.url === undefined) return config;
      const original = new URL(config.url);
      if (!GOOGLE_TOKEN_ORIGINS.includes(original.origin)) return config;
      const rewritten = new URL(`${original.pathname}${original.search}`, target);
      config.url = typeof config.url === 'string' ? rewritten.toString() : rewritten;
      return config;
    },
  };
}
