// Redirection (RFC 3261 §8.1.3.4, §21.3): following a 3xx to our INVITE, and answering an
// incoming INVITE with one (call forwarding).
//
// Theory of operation: a 3xx final response to the INVITE of an outgoing call gives Contact URIs;
// the sip/sips ones that this call has not called yet are ordered by q (highest
// first, stable for equal q) and become the call's redirect targets. The first is called with a
// new INVITE (new Call-ID, From tag and branch, CSeq 1, the same SDP offer) and the call goes back
// to Calling with reason "redirected to URI", so the application sees one call whose target
// changed. If a redirected INVITE fails (4xx-6xx), the next target is tried. A 3xx whose every
// Contact was called already is a loop, and more than kMaxRedirects 3xx also end the call: both
// finish it with the 3xx status and reason "redirect loop". As UAS, redirect() answers an
// incoming call with a 3xx carrying Contact values (forwarding: 302 to the new target).
#include "user_agent_impl.h"

#include <algorithm>

namespace vphone::sip {

namespace {
/// 3xx followed per call at most (§8.1.3.4 asks for loop protection; five hops is generous).
constexpr int kMaxRedirects = 5;
} // namespace

std::string redirectKey(const Uri& target)
{
    Uri key = target;
    key.headers.clear();
    return key.toString();
}

void UserAgent::Impl::onRedirect(Call& c, const Message& response, TimePoint now)
{
    const int status = response.status();
    auto list = response.contacts();
    if (!list || list->star || list->contacts.empty()) {
        // A 3xx without usable Contact (305 Use Proxy is not followed either, §21.3.4).
        if (!tryNextTarget(c, status, now)) finish(c.handle, status, std::string(response.reason()));
        return;
    }
    struct Candidate {
        int q = 1000;
        Uri uri;
    };
    std::vector<Candidate> candidates;
    bool looped = false;
    for (const auto& na : list->contacts) {
        // sip/sips only: tel: and others need a gateway we cannot pick here.
        if (na.uri.scheme != UriScheme::Sip && na.uri.scheme != UriScheme::Sips) continue;
        const std::string key = redirectKey(na.uri);
        if (std::find(c.triedTargets.begin(), c.triedTargets.end(), key) != c.triedTargets.end()) {
            looped = true;
            continue;
        }
        auto q = contactQ(na);
        candidates.push_back(Candidate{q ? *q : 1000, na.uri});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.q > b.q; });
    if (candidates.empty()) {
        finish(c.handle, status, looped ? "redirect loop" : "redirect without a usable Contact");
        return;
    }
    if (++c.redirects > kMaxRedirects) {
        finish(c.handle, status, "redirect loop (more than 5 redirects)");
        return;
    }
    // The new targets replace what was left of the previous 3xx (§8.1.3.4: "may").
    c.redirectTargets.clear();
    for (auto& cand : candidates)
        c.redirectTargets.push_back(std::move(cand.uri));
    tryNextTarget(c, status, now);
}

bool UserAgent::Impl::tryNextTarget(Call& c, int status, TimePoint now)
{
    while (!c.redirectTargets.empty()) {
        Uri target = std::move(c.redirectTargets.front());
        c.redirectTargets.erase(c.redirectTargets.begin());
        c.triedTargets.push_back(redirectKey(target));
        c.early.clear();
        if (!sendInvite(c, target, now)) continue; // no route there: the next one
        setState(c, CallState::Calling, status, "redirected to " + redirectKey(target));
        return true;
    }
    return false;
}

void UserAgent::Impl::redirect(CallHandle handle, int code, const std::vector<Uri>& contacts, TimePoint now)
{
    auto it = calls.find(handle);
    if (it == calls.end() || it->second.outgoing || it->second.dialog) return;
    Call& c = it->second;
    if (code < 300 || code > 399) code = 302;
    Message r = newResponse(c.request, code, c.localTag);
    for (const auto& uri : contacts)
        r.addHeader(HeaderId::Contact, "<" + uri.toString() + ">");
    layer.sendResponse(c.serverTx, r, now);
    std::string reason = "redirected";
    if (!contacts.empty()) reason += " to " + redirectKey(contacts.front());
    finish(handle, code, std::move(reason));
}

} // namespace vphone::sip
