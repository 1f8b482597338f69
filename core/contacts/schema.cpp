#include "contacts/schema.h"

namespace vphone::contacts::schema {

QStringList v1Statements()
{
    return {
        QStringLiteral("CREATE TABLE contacts ("
                       " id INTEGER PRIMARY KEY,"
                       " display_name TEXT NOT NULL DEFAULT '',"
                       " given_name TEXT NOT NULL DEFAULT '',"
                       " family_name TEXT NOT NULL DEFAULT '',"
                       " organisation TEXT NOT NULL DEFAULT '',"
                       " note TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE TABLE sip_addresses ("
                       " id INTEGER PRIMARY KEY,"
                       " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
                       " position INTEGER NOT NULL,"
                       " uri TEXT NOT NULL,"
                       " label TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE TABLE phone_numbers ("
                       " id INTEGER PRIMARY KEY,"
                       " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
                       " position INTEGER NOT NULL,"
                       " number TEXT NOT NULL,"
                       " label TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE INDEX sip_addresses_contact ON sip_addresses(contact_id, position)"),
        QStringLiteral("CREATE INDEX phone_numbers_contact ON phone_numbers(contact_id, position)"),
    };
}

QStringList v1ToV2Statements()
{
    return {
        QStringLiteral("ALTER TABLE contacts ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0"),
        QStringLiteral("ALTER TABLE contacts ADD COLUMN blf INTEGER NOT NULL DEFAULT 0"),
        QStringLiteral("ALTER TABLE contacts ADD COLUMN photo BLOB"),
        QStringLiteral("ALTER TABLE contacts ADD COLUMN photo_mime TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE contacts ADD COLUMN search_key TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE contacts ADD COLUMN sort_key TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE sip_addresses ADD COLUMN match_key TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE phone_numbers ADD COLUMN digits TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("CREATE INDEX contacts_sort ON contacts(sort_key, id)"),
        QStringLiteral("CREATE INDEX sip_addresses_match ON sip_addresses(match_key)"),
        QStringLiteral("CREATE INDEX phone_numbers_digits ON phone_numbers(digits)"),
        QStringLiteral("CREATE TABLE calls ("
                       " id INTEGER PRIMARY KEY,"
                       " direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
                       " peer_uri TEXT NOT NULL,"
                       " peer_name TEXT NOT NULL DEFAULT '',"
                       " account_uri TEXT NOT NULL DEFAULT '',"
                       " start_ms INTEGER NOT NULL,"
                       " connected_ms INTEGER,"
                       " duration_s INTEGER NOT NULL DEFAULT 0,"
                       " outcome TEXT NOT NULL,"
                       " seen INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX calls_start ON calls(start_ms DESC, id DESC)"),
        QStringLiteral("CREATE INDEX calls_unseen ON calls(outcome, seen)"),
        QStringLiteral("CREATE TABLE messages ("
                       " id INTEGER PRIMARY KEY,"
                       " account_uri TEXT NOT NULL,"
                       " peer_uri TEXT NOT NULL,"
                       " direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
                       " body TEXT NOT NULL,"
                       " content_type TEXT NOT NULL DEFAULT 'text/plain',"
                       " time_ms INTEGER NOT NULL,"
                       " state TEXT NOT NULL,"
                       " read INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX messages_conversation ON messages(account_uri, peer_uri, time_ms, id)"),
        QStringLiteral("CREATE INDEX messages_unread ON messages(read)"),
    };
}

} // namespace vphone::contacts::schema
