//! Importing a file of members: pasted or chosen, previewed line by line with each line's
//! problems, then the valid lines invited at once.

use leptos::prelude::*;

use crate::i18n::t;
use crate::members::api::{ImportMembers, PreviewImport};
use crate::members::dto::ImportPreview;
use crate::ui::widgets::ErrorBanner;

/// The import card, an island. After an import the page is drawn again with `?importes=N`,
/// which comes back here as `done`.
#[island(lazy)]
pub fn ImportCard(done: Option<usize>) -> impl IntoView {
    crate::ui::widgets::island_awake();
    let preview = ServerAction::<PreviewImport>::new();
    let import = ServerAction::<ImportMembers>::new();
    let text = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(p)) = import.value().get() {
            crate::ui::widgets::go_to(&format!("/membres?importes={}#import", p.valid));
        }
    });
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = js_sys::Reflect::get(&event_target::<web_sys::HtmlElement>(&ev), &"files".into())
                .ok()
                .and_then(|files| js_sys::Reflect::get(&files, &0.into()).ok())
                .filter(|f| !f.is_undefined());
            if let Some(file) = file {
                let promise = js_sys::Reflect::get(&file, &"text".into())
                    .ok()
                    .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                    .and_then(|f| f.call0(&file).ok())
                    .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
                if let Some(promise) = promise {
                    leptos::task::spawn_local(async move {
                        if let Ok(v) = wasm_bindgen_futures::JsFuture::from(promise).await {
                            text.set(v.as_string().unwrap_or_default());
                        }
                    });
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <details class="card" id="import" open=done.is_some()>
            <summary><h2>{t::IMPORTER_UN_FICHIER()}</h2></summary>
            <p class="meta">{t::IMPORT_AIDE()}</p>
            <ActionForm action=preview attr:class="form" attr:id="import-form">
                <label for="import-file">{t::CHOISIR_UN_FICHIER()}</label>
                <input id="import-file" type="file" accept=".csv,text/csv" on:change=on_file/>
                <label for="import-text">{t::OU_COLLER_LE_CONTENU()}</label>
                <textarea id="import-text" name="file" rows="6" required
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <button type="submit">{t::VERIFIER()}</button>
            </ActionForm>
            {move || preview.value().get().map(|r| match r {
                Ok(p) => view! { <Preview p=p text=text import=import/> }.into_any(),
                Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
            })}
            {done.map(|n| view! { <p class="banner ok" role="status" id="imported">{t::import_fait(n)}</p> })}
            {move || import.value().get().map(|r| match r {
                Ok(p) => view! { <p class="banner ok" role="status" id="imported">{t::import_fait(p.valid)}</p> }.into_any(),
                Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
            })}
        </details>
    }
}

#[component]
fn Preview(p: ImportPreview, text: RwSignal<String>, import: ServerAction<ImportMembers>) -> impl IntoView {
    let bad = p.lines.len() - p.valid;
    view! {
        <div id="import-preview">
            <p role="status">{t::apercu_import(p.valid, bad)}</p>
            <table class="import">
                <thead><tr>
                    <th scope="col">{t::LIGNE()}</th><th scope="col">{t::NOM_AFFICHE()}</th>
                    <th scope="col">{t::ADRESSE_E_MAIL()}</th><th scope="col">{t::RESULTAT()}</th>
                </tr></thead>
                <tbody>
                    {p.lines.into_iter().map(|l| {
                        let ok = l.errors.is_empty();
                        let why = l.errors.iter().map(|(f, pb)| format!("{} : {}", t::field(*f), t::field_problem(*pb))).collect::<Vec<_>>().join(" ");
                        view! {
                            <tr class:error=!ok>
                                <td>{l.line}</td><td>{l.input.name}</td><td>{l.input.email}</td>
                                <td>{if ok { t::SERA_INVITE().to_string() } else { why }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(p.valid > 0).then(|| view! {
                <ActionForm action=import attr:class="inline" attr:id="import-confirm">
                    <input type="hidden" name="file" prop:value=move || text.get()/>
                    <button type="submit" class="primary">{t::inviter_les_lignes(p.valid)}</button>
                </ActionForm>
            })}
        </div>
    }
}
