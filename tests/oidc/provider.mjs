// An OpenID Connect provider for the single sign-on tests: `node provider.mjs SETTINGS.json`.
//
// SETTINGS.json: {"client": {"client_id", "client_secret", "redirect_uris": [...]},
//                 "accounts": {"<login>": {"email", "email_verified", "name", "sub"?}},
//                 "email_in_userinfo_only": false, "jwks": {"keys": [<private JWK>]}}
// It listens on a free port of 127.0.0.1 and prints one JSON line, {"issuer": URL},
// once it answers. The login form is the library's development form ("devInteractions":
// any password; the login name picks the account, and is the account's `sub`), then
// its consent form. An unknown login name is refused by findAccount.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

import Provider from "oidc-provider";

const settings = JSON.parse(readFileSync(process.argv[2], "utf8"));

const server = createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        ...settings.client,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    async findAccount(ctx, id) {
      const account = settings.accounts[id];
      if (!account) {
        return undefined;
      }
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...account };
        },
      };
    },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
    },
    // The claims of the scopes asked for go into the ID token too (as most providers do),
    // unless the settings ask for them in the userinfo answer only (as OpenID Connect
    // Core has it for the code flow).
    conformIdTokenClaims: Boolean(settings.email_in_userinfo_only),
    cookies: { keys: ["a test provider's cookie key, nothing secret"] },
    // The tests' key: they sign altered ID tokens with it, to see each claim checked.
    jwks: settings.jwks,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
  });
  server.on("request", provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
