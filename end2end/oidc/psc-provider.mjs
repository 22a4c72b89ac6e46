// A local OpenID provider that behaves as Pro Santé Connect does towards a service: the
// authorization code flow with PKCE, the `eidas1` authentication level (acr), the `scope_all`
// scope, and the user info PSC gives (the national identifier in `preferred_username` and
// `SubjectNameID`, `given_name`, `family_name`). Built on `oidc-provider`, a certified
// implementation: the tokens it issues are signed, checked and exchanged for real.
//
// Its login page stands in for the e-CPS app: one field, the professional's national identifier
// ("8" then the RPPS), and a "Refuser" button that sends `access_denied` back.
//
//   node psc-provider.mjs [port]   (default 3200; the issuer is http://localhost:<port>)
//   env PSC_CLIENT_ID, PSC_CLIENT_SECRET, PSC_REDIRECT_URIS (comma-separated)
import http from "node:http";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import Provider from "oidc-provider";

const port = Number(process.argv[2] ?? 3200);
const issuer = `http://localhost:${port}`;
const clientId = process.env.PSC_CLIENT_ID ?? "relais-e2e";
const clientSecret = process.env.PSC_CLIENT_SECRET ?? "secret-de-test-psc";
const redirectUris = (process.env.PSC_REDIRECT_URIS ?? "http://127.0.0.1:3100/auth/psc/retour")
  .split(",")
  .map((u) => u.trim())
  .filter(Boolean);

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "psc-e2e", use: "sig", alg: "RS256" };

/** The professionals PSC knows: anyone whose identifier is typed in, as the e-CPS app would vouch. */
async function findAccount(_ctx, id) {
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        preferred_username: id,
        SubjectNameID: id,
        given_name: "Professionnel",
        family_name: `de santé ${id.slice(-4)}`,
      };
    },
  };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString("hex")] },
  acrValues: ["eidas1"],
  scopes: ["openid", "scope_all"],
  claims: {
    openid: ["sub"],
    acr: null,
    scope_all: ["preferred_username", "SubjectNameID", "given_name", "family_name"],
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
  findAccount,
  // PSC asks no consent of the professional for a service it has registered.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid scope_all");
    await grant.save();
    return grant;
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pro Santé Connect (local)</title></head><body>
<h1>Pro Santé Connect</h1>
<form method="post" action="/interaction/${escape(uid)}">
  <label for="id">Identifiant national</label>
  <input id="id" name="id" inputmode="numeric" required>
  <button type="submit" name="action" value="login">Valider avec e-CPS</button>
  <button type="submit" name="action" value="deny" formnovalidate>Refuser</button>
</form></body></html>`;
}

async function readForm(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = /^\/interaction\/([\w-]+)$/.exec(new URL(req.url, issuer).pathname);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(loginPage(details.uid));
    }
    const form = await readForm(req);
    const result =
      form.get("action") === "deny"
        ? { error: "access_denied", error_description: "Le professionnel a refusé." }
        : { login: { accountId: (form.get("id") ?? "").trim(), acr: "eidas1" } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  } catch (err) {
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
    res.end(`interaction: ${err.message}`);
  }
});

server.listen(port, () => {
  console.log(`Pro Santé Connect (local) on ${issuer}, client ${clientId}`);
});
