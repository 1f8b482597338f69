// Dial bar completion: see dial_completion.h.
#include "models/dial_completion.h"

#include "contacts/search_key.h"

#include <QSet>

namespace vphone::ui {

QList<DialSuggestion> dialSuggestions(const contacts::Database& db, const QString& typed, int limit)
{
    QList<DialSuggestion> out;
    const QString query = typed.trimmed();
    if (query.size() < 2 || limit <= 0) return out;
    QSet<QString> targets;
    const auto add = [&](const QString& label, const QString& target) {
        if (target.isEmpty() || targets.contains(target) || out.size() >= limit) return;
        targets.insert(target);
        out.append({label, target, target});
    };
    if (auto found = db.searchContacts(query, limit)) {
        for (const contacts::Contact& c : *found) {
            for (const auto& a : c.sipAddresses)
                add(c.displayName, a.uri);
            for (const auto& n : c.phoneNumbers)
                add(c.displayName, n.number);
        }
    }
    const QString key = contacts::foldForSearch(query);
    if (auto calls = db.calls(200)) {
        for (const contacts::CallRecord& r : *calls) {
            if (out.size() >= limit) break;
            if (!contacts::foldForSearch(r.peerUri).contains(key) &&
                !contacts::foldForSearch(r.peerDisplayName).contains(key))
                continue;
            add(r.peerDisplayName.isEmpty() ? r.peerUri : r.peerDisplayName, r.peerUri);
        }
    }
    return out;
}

} // namespace vphone::ui
