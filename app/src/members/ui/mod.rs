//! The members' pages: *Membres* for the CPTS's admins (invite one person or a file, follow the
//! invitations, suspend, reinstate or remove a member), the invitation link's page, and each
//! member's profile card on *Réglages*.

mod import;
mod invitation;
mod profile;

pub use invitation::InvitationPage;
pub use profile::ProfileCard;

use leptos::prelude::*;

use crate::domain::{Field, Profession, Role};
use crate::i18n::t;
use crate::members::api::{
    members_page, InviteMember, ReinstateMember, RemoveMember, ResendInvitation, SetPasswordLogin, SuspendMember,
    WithdrawInvitation,
};
use crate::members::dto::{ListedMember, MembersOverview as Page};
use crate::members::rules::{InvitationState, MemberStatus};
use crate::ui::widgets::{day_hm, field_error, Authed, ErrorBanner};

#[component]
pub fn MembersPage() -> impl IntoView {
    view! { <Authed><Members/></Authed> }
}

/// The actions of the page, whose results redraw it.
#[derive(Clone, Copy)]
struct Actions {
    invite: ServerAction<InviteMember>,
    resend: ServerAction<ResendInvitation>,
    withdraw: ServerAction<WithdrawInvitation>,
    suspend: ServerAction<SuspendMember>,
    reinstate: ServerAction<ReinstateMember>,
    remove: ServerAction<RemoveMember>,
    password: ServerAction<SetPasswordLogin>,
}

#[component]
fn Members() -> impl IntoView {
    let a = Actions {
        invite: ServerAction::new(),
        resend: ServerAction::new(),
        withdraw: ServerAction::new(),
        suspend: ServerAction::new(),
        reinstate: ServerAction::new(),
        remove: ServerAction::new(),
        password: ServerAction::new(),
    };
    // What a plain form just did (see `ui::widgets::posted`).
    let invited = crate::ui::widgets::posted::<InviteMember>();
    let resent = crate::ui::widgets::posted::<ResendInvitation>();
    // Back on the page after an import (`?importes=N`).
    let imported_now =
        leptos_router::hooks::use_query_map().read_untracked().get("importes").and_then(|n| n.parse::<usize>().ok());
    let data = Resource::new(
        move || {
            (
                a.invite.version().get(),
                a.resend.version().get(),
                a.withdraw.version().get(),
                a.suspend.version().get(),
                a.reinstate.version().get(),
                a.remove.version().get(),
                a.password.version().get(),
            )
        },
        |_| members_page(),
    );
    let failure = move || {
        [
            a.withdraw.value().get().and_then(Result::err),
            a.resend.value().get().and_then(Result::err),
            a.suspend.value().get().and_then(Result::err),
            a.reinstate.value().get().and_then(Result::err),
            a.remove.value().get().and_then(Result::err),
            a.password.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        <main class="page">
            <h1>{t::MEMBRES()}</h1>
            {move || failure().map(|e| view! { <ErrorBanner error=e/> })}
            {move || a.invite.value().get().and_then(Result::ok).or_else(|| invited.clone()).map(|i| view! {
                <div class="banner ok" role="status" id="invited">
                    <p>{t::invitation_envoyee(&i.invitation.name, &i.invitation.email)}</p>
                    {i.demo_link.map(|l| view! { <p>{t::LIEN_DEMO()} " " <a href=l.clone() id="demo-link">{l.clone()}</a></p> })}
                </div>
            })}
            {move || a.resend.value().get().and_then(Result::ok).or_else(|| resent.clone()).map(|l| view! {
                <div class="banner ok" role="status" id="resent">
                    <p>{t::INVITATION_RENVOYEE()}</p>
                    {l.map(|l| view! { <p>{t::LIEN_DEMO()} " " <a href=l.clone() id="demo-link">{l.clone()}</a></p> })}
                </div>
            })}
            // Outside the part the page redraws: the file and its preview stay while the lists refresh.
            <import::ImportCard done=imported_now/>
            <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <Body p=p a=a/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn Body(p: Page, a: Actions) -> impl IntoView {
    let errors = move || a.invite.value().get().and_then(Result::err).and_then(|e| e.field_errors().cloned());
    let other = move || a.invite.value().get().and_then(Result::err).filter(|e| e.field_errors().is_none());
    let (active, suspended): (Vec<ListedMember>, Vec<ListedMember>) =
        p.members.into_iter().partition(|m| m.status == MemberStatus::Active);
    view! {
        <details class="card" id="invite" open=true>
            <summary><h2>{t::INVITER_UN_MEMBRE()}</h2></summary>
            <ActionForm action=a.invite attr:class="form" attr:id="invite-form">
                {move || other().map(|e| view! { <ErrorBanner error=e/> })}
                <label for="inv-email">{t::field(Field::Email)}</label>
                <input id="inv-email" name="email" type="email" required autocomplete="off"/>
                {move || field_error(errors(), Field::Email)}
                <label for="inv-name">{t::NOM_AFFICHE()}</label>
                <input id="inv-name" name="name" required maxlength="120" autocomplete="off"/>
                {move || field_error(errors(), Field::Name)}
                <label for="inv-role">{t::field(Field::Role)}</label>
                <select id="inv-role" name="role">
                    {Role::ALL.iter().map(|r| view! { <option value=r.code()>{t::role(*r)}</option> }).collect_view()}
                </select>
                {move || field_error(errors(), Field::Role)}
                <label for="inv-profession">{t::PROFESSION()}</label>
                <select id="inv-profession" name="profession">
                    <option value="">{t::AUCUNE()}</option>
                    {Profession::ALL.iter().map(|x| view! { <option value=x.code()>{t::profession(*x)}</option> }).collect_view()}
                </select>
                {move || field_error(errors(), Field::Profession)}
                <label for="inv-rpps">{t::field(Field::Rpps)}</label>
                <input id="inv-rpps" name="rpps" inputmode="numeric" maxlength="14" autocomplete="off"/>
                {move || field_error(errors(), Field::Rpps)}
                <label for="inv-commune">{t::field(Field::Commune)}</label>
                <select id="inv-commune" name="commune">
                    <option value="">{t::AUCUNE()}</option>
                    {p.communes.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                </select>
                {move || field_error(errors(), Field::Commune)}
                <button type="submit" class="primary">{t::ENVOYER_L_INVITATION()}</button>
            </ActionForm>
        </details>
        <h2>{t::INVITATIONS_EN_COURS()}</h2>
        {if p.invitations.is_empty() {
            view! { <p class="empty" id="no-invitations">{t::AUCUNE_INVITATION()}</p> }.into_any()
        } else {
            view! {
                <ul class="cases" id="invitations">
                    {p.invitations.into_iter().map(|i| {
                        let open = matches!(i.state, InvitationState::Pending | InvitationState::Expired);
                        view! {
                            <li class="card" data-invitation=i.id>
                                <strong>{i.name.clone()}</strong>
                                <p class="meta">{format!("{} · {}", i.email, i.profession.map_or_else(|| t::role(i.role), t::profession))}</p>
                                <p class="status">{t::invitation_etat(i.state, &day_hm(i.sent_at), &day_hm(i.expires_at))}</p>
                                {open.then(|| view! {
                                    <ActionForm action=a.resend attr:class="inline">
                                        <input type="hidden" name="id" value=i.id/>
                                        <button type="submit">{t::RENVOYER()}</button>
                                    </ActionForm>
                                    <ActionForm action=a.withdraw attr:class="inline">
                                        <input type="hidden" name="id" value=i.id/>
                                        <button type="submit" class="link">{t::RETIRER_L_INVITATION()}</button>
                                    </ActionForm>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{t::membres_actifs(active.len())}</h2>
        <ul class="cases" id="members">
            {active.into_iter().map(|m| view! { <MemberItem m=m a=a/> }).collect_view()}
        </ul>
        {(!suspended.is_empty()).then(|| view! {
            <h2>{t::MEMBRES_SUSPENDUS()}</h2>
            <ul class="cases" id="suspended">
                {suspended.into_iter().map(|m| view! { <MemberItem m=m a=a/> }).collect_view()}
            </ul>
        })}
        <PasswordLogin allowed=p.password_login without=p.without_passkey a=a/>
    }
}

/// Whether the CPTS accepts passwords, and the switch (with who would be left out).
#[component]
fn PasswordLogin(allowed: bool, without: Vec<String>, a: Actions) -> impl IntoView {
    view! {
        <section class="card" id="password-login">
            <h2>{t::CONNEXION_PAR_MOT_DE_PASSE()}</h2>
            <p class="status">{if allowed { t::MOTS_DE_PASSE_ACCEPTES() } else { t::MOTS_DE_PASSE_REFUSES() }}</p>
            <p class="meta" id="without-passkey">{t::sans_cle(&without)}</p>
            {if allowed {
                view! {
                    <details class="inline">
                        <summary>{t::DESACTIVER_MOTS_DE_PASSE()}</summary>
                        <p>{t::DESACTIVATION_EXPLICATION()}</p>
                        <ActionForm action=a.password attr:class="inline">
                            <input type="hidden" name="allowed" value="false"/>
                            <button type="submit" class="danger">{t::CONFIRMER_CLES_SEULES()}</button>
                        </ActionForm>
                    </details>
                }.into_any()
            } else {
                view! {
                    <ActionForm action=a.password attr:class="inline">
                        <input type="hidden" name="allowed" value="true"/>
                        <button type="submit">{t::REACTIVER_MOTS_DE_PASSE()}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn MemberItem(m: ListedMember, a: Actions) -> impl IntoView {
    let what = m.profession.map_or_else(|| t::role(m.role), t::profession);
    let meta =
        [Some(m.email.clone()), Some(what.to_string()), m.rpps.clone().map(|r| format!("RPPS {r}")), m.commune.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
    let id = m.id;
    view! {
        <li class="card" data-member=id>
            <strong>{m.name.clone()}</strong>
            <p class="meta">{meta}</p>
            {match (m.status, m.is_me) {
                (_, true) => None,
                (MemberStatus::Suspended, _) => Some(view! {
                    <p class="status warn">{t::ACCES_SUSPENDU()}</p>
                    <ActionForm action=a.reinstate attr:class="inline">
                        <input type="hidden" name="member_id" value=id/>
                        <button type="submit">{t::REACTIVER()}</button>
                    </ActionForm>
                    <details class="inline">
                        <summary>{t::RETIRER_DE_LA_CPTS()}</summary>
                        <p>{t::RETRAIT_EXPLICATION()}</p>
                        <ActionForm action=a.remove attr:class="inline">
                            <input type="hidden" name="member_id" value=id/>
                            <button type="submit" class="danger">{t::CONFIRMER_LE_RETRAIT()}</button>
                        </ActionForm>
                    </details>
                }.into_any()),
                _ => Some(view! {
                    <details class="inline">
                        <summary>{t::SUSPENDRE()}</summary>
                        <p>{t::SUSPENSION_EXPLICATION()}</p>
                        <ActionForm action=a.suspend attr:class="inline">
                            <input type="hidden" name="member_id" value=id/>
                            <button type="submit" class="danger">{t::CONFIRMER_LA_SUSPENSION()}</button>
                        </ActionForm>
                    </details>
                }.into_any()),
            }}
        </li>
    }
}
