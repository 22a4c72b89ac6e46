#!/usr/bin/env bash
# What splitting the WebAssembly by route would send: every page of app/src/ui/mod.rs made a
# lazy route (leptos_router's `#[lazy_route]`, hydrated with `hydrate_lazy`), built with
# `cargo leptos build --release --precompress --split`, in a temporary git worktree of HEAD (the
# working tree is not touched). Prints the main module, the chunks a first visit to the login
# page needs, then to the login page and *Mes offres* (with the home page that leads there), as
# the split manifest lists them, in bytes of brotli (as served), and how many files that is.
# About 8 minutes on two cores (more the first time: its own target folder). Needs what scripts/setup.sh installs.
#
#   bench/wasm-split.sh
set -euo pipefail
source "$(dirname "$0")/split-worktree.sh"

python3 - "$WORK/tree/app/src" <<'EOF'
import re, sys
src = sys.argv[1]
ui = open(f"{src}/ui/mod.rs").read()
pages = re.findall(r'view=(crate::[a-z_]+::[A-Za-z]+) ssr=', ui)
lazy = []
for page in pages:
    name = "Lazy" + page.split("::")[-1]
    lazy.append(f"lazy_page!({name}, {page});")
    ui = ui.replace(f"view={page} ssr", f"view={{leptos_router::Lazy::<{name}>::new()}} ssr")
ui += """
macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        #[derive(Clone)]
        pub struct $route;
        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }
            fn view(this: Self) -> AnyView {
                let _ = this;
                $page().into_any()
            }
        }
    };
}
""" + "\n".join(lazy) + "\n"
open(f"{src}/ui/mod.rs", "w").write(ui)
lib = open(f"{src}/lib.rs").read()
open(f"{src}/lib.rs", "w").write(lib.replace("hydrate_body(App)", "hydrate_lazy(App)"))
print(f"{len(pages)} pages made lazy routes")
EOF

(cd "$WORK/tree" && cargo leptos build --release --precompress --frontend-only --split > "$WORK/build.log" 2>&1) \
  || { tail -30 "$WORK/build.log"; exit 1; }

python3 - "$WORK/tree/target/site/pkg" <<'EOF'
import glob, json, os, sys
os.chdir(sys.argv[1])
manifest = json.load(open(glob.glob("__wasm_split_manifest.*.json")[0]))
br = lambda files: sum(os.path.getsize(f + ".br") for f in files)
main = [f for f in glob.glob("relais.*.wasm")]
fixed = main + glob.glob("*.js") + glob.glob("*.css")
def visit(*parts):
    keys = [k for k in manifest if any(f"_{p}_page_view_" in k for p in parts)]
    chunks = set().union(*[{c + ".wasm" for c in manifest[k]} for k in keys])
    return len(chunks), br(chunks)
print(f"main module: {br(main)} bytes brotli; JS + CSS: {br(fixed) - br(main)}")
for label, parts in [("login page", ["login"]), ("login page, then Mes offres", ["login", "home", "inbox"])]:
    n, size = visit(*parts)
    print(f"{label}: {n} chunks, {size} bytes; with the main module, JS and CSS {size + br(fixed)} bytes in {n + len(fixed)} files")
every = set().union(*[{c + ".wasm" for c in v} for v in manifest.values()])
print(f"every chunk of the {len(manifest)} pages: {len(every)} files, {br(every)} bytes")
EOF
