// vCard export: line format (CRLF, 75-octet folding that never splits UTF-8, escaping), and
// export -> import round trips in both versions.
#include "contacts/vcard.h"

#include <QByteArray>
#include <QList>

#include <gtest/gtest.h>

using namespace vphone::contacts;

namespace {

Contact fullContact()
{
    Contact c;
    c.displayName = QStringLiteral("Zoë Ångström-Ørsted, Ph.D; \\ \"Zo\"");
    c.givenName = QStringLiteral("Zoë");
    c.familyName = QStringLiteral("Ångström-Ørsted");
    c.organisation = QStringLiteral("Łódź Telecom; R&D");
    c.note = QStringLiteral("Line 1\nLine 2, with comma; semicolon \\ backslash\tand tab. 日本語のメモ 🎉");
    QByteArray photo;
    for (int i = 0; i < 3000; ++i)
        photo.append(static_cast<char>((i * 37 + 11) & 0xFF));
    c.photo = photo;
    c.photoMimeType = QStringLiteral("image/jpeg");
    c.favourite = true;
    c.blf = true;
    c.sipAddresses = {{QStringLiteral("sip:zoe@example.com;transport=tls"), QStringLiteral("work")},
                      {QStringLiteral("sips:zoe,x@example.org"), QStringLiteral("Zweitbüro")},
                      {QStringLiteral("sip:1234@pbx.example.net"), QString()}};
    c.phoneNumbers = {{QStringLiteral("+46 70 123 45 67"), QStringLiteral("cell")},
                      {QStringLiteral("+46-8-555-0100;ext=1"), QStringLiteral("Büro, 2. Stock")},
                      {QStringLiteral("112"), QString()}};
    return c;
}

QList<QByteArray> physicalLines(const QByteArray& card)
{
    EXPECT_TRUE(card.endsWith("\r\n"));
    QList<QByteArray> lines = card.split('\n');
    lines.removeLast(); // after the final LF
    for (QByteArray& line : lines) {
        EXPECT_TRUE(line.endsWith('\r')) << "bare LF in: " << line.toStdString();
        line.chop(1);
    }
    return lines;
}

} // namespace

TEST(ContactsVCardWrite, CrlfAndFoldingAt75OctetsKeepsUtf8Whole)
{
    Contact c;
    c.displayName = QString(100, QChar(u'é')) + QStringLiteral("😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀");
    c.note = QString(200, QChar(u'x'));
    for (VCardVersion version : {VCardVersion::V3, VCardVersion::V4}) {
        const QByteArray card = writeVCard(c, version);
        const QList<QByteArray> lines = physicalLines(card);
        int continuations = 0;
        for (const QByteArray& line : lines) {
            EXPECT_LE(line.size(), 75) << line.toStdString();
            // Each physical line is valid UTF-8 on its own: no sequence was split.
            const QString decoded = QString::fromUtf8(line);
            EXPECT_EQ(decoded.toUtf8(), line);
            EXPECT_FALSE(decoded.contains(QChar::ReplacementCharacter)) << line.toStdString();
            if (line.startsWith(' ')) ++continuations;
        }
        EXPECT_GE(continuations, 5);
        EXPECT_EQ(lines.first(), "BEGIN:VCARD");
        EXPECT_EQ(lines[1], version == VCardVersion::V3 ? "VERSION:3.0" : "VERSION:4.0");
        EXPECT_EQ(lines.last(), "END:VCARD");
        const VCardImport back = parseVCards(card);
        ASSERT_EQ(back.contacts.size(), 1);
        EXPECT_EQ(back.contacts[0].displayName, c.displayName);
        EXPECT_EQ(back.contacts[0].note, c.note);
    }
}

TEST(ContactsVCardWrite, EscapesTextAndWritesLabelsAndPhoto)
{
    const Contact c = fullContact();
    const QByteArray v3 = writeVCard(c, VCardVersion::V3);
    QByteArray unfolded = v3;
    unfolded.replace("\r\n ", "");
    EXPECT_TRUE(unfolded.contains("\r\nFN:Zoë Ångström-Ørsted\\, Ph.D\\; \\\\ \"Zo\"\r\n"))
        << v3.toStdString();
    EXPECT_TRUE(unfolded.contains("\r\nN:Ångström-Ørsted;Zoë;;;\r\n"));
    EXPECT_TRUE(unfolded.contains("\r\nORG:Łódź Telecom\\; R&D\r\n"));
    EXPECT_TRUE(
        unfolded.contains("\r\nNOTE:Line 1\\nLine 2\\, with comma\\; semicolon \\\\ backslash\tand tab."));
    EXPECT_TRUE(unfolded.contains("\r\nTEL;TYPE=cell:+46 70 123 45 67\r\n"));
    EXPECT_TRUE(
        unfolded.contains("\r\nitem1.TEL:+46-8-555-0100\\;ext=1\r\nitem1.X-ABLabel:Büro\\, 2. Stock\r\n"));
    EXPECT_TRUE(unfolded.contains("\r\nIMPP;TYPE=work:sip:zoe@example.com;transport=tls\r\n"));
    EXPECT_TRUE(unfolded.contains("\r\nitem2.IMPP:sips:zoe,x@example.org\r\nitem2.X-ABLabel:Zweitbüro\r\n"));
    EXPECT_TRUE(unfolded.contains("\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + c.photo.toBase64() + "\r\n"));
    EXPECT_TRUE(unfolded.contains("\r\nX-VPHONE-FAVOURITE:1\r\nX-VPHONE-BLF:1\r\nEND:VCARD\r\n"));

    QByteArray v4 = writeVCard(c, VCardVersion::V4);
    v4.replace("\r\n ", "");
    EXPECT_TRUE(v4.contains("\r\nPHOTO:data:image/jpeg;base64," + c.photo.toBase64() + "\r\n"));
}

TEST(ContactsVCardWrite, RoundTripBothVersions)
{
    Contact plain;
    plain.displayName = QStringLiteral("Plain");
    Contact namesOnly;
    namesOnly.displayName = QStringLiteral("Иван Петров");
    namesOnly.givenName = QStringLiteral("Иван");
    namesOnly.familyName = QStringLiteral("Петров");
    namesOnly.phoneNumbers = {{QStringLiteral("+7 495 123-45-67"), QStringLiteral("home")}};
    Contact png;
    png.displayName = QStringLiteral("王小明");
    png.photo = QByteArray::fromBase64(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    png.photoMimeType = QStringLiteral("image/png");
    const QList<Contact> contacts{fullContact(), plain, namesOnly, png};
    for (VCardVersion version : {VCardVersion::V3, VCardVersion::V4}) {
        const VCardImport back = parseVCards(writeVCards(contacts, version));
        EXPECT_TRUE(back.errors.isEmpty());
        ASSERT_EQ(back.contacts.size(), contacts.size());
        for (qsizetype i = 0; i < contacts.size(); ++i)
            EXPECT_EQ(back.contacts[i], contacts[i]) << "contact " << i << " version " << int(version);
    }
}

TEST(ContactsVCardWrite, SampleFilesSurviveExportAndImport)
{
    for (const char* name : {"apple_3.0.vcf", "google_3.0.vcf", "rfc6350_4.0.vcf"}) {
        auto read = readVCardFile(QStringLiteral(VPHONE_TEST_DATA "/vcard/") + QLatin1String(name));
        ASSERT_TRUE(read.ok());
        ASSERT_FALSE(read->contacts.isEmpty());
        for (VCardVersion version : {VCardVersion::V3, VCardVersion::V4}) {
            const VCardImport back = parseVCards(writeVCards(read->contacts, version));
            EXPECT_TRUE(back.errors.isEmpty()) << name;
            EXPECT_EQ(back.contacts, read->contacts) << name;
        }
    }
}

TEST(ContactsVCardWrite, NamelessContactStillGetsAnFn)
{
    Contact c;
    c.phoneNumbers = {{QStringLiteral("+1 555 0100"), QString()}};
    const VCardImport back = parseVCards(writeVCard(c, VCardVersion::V3));
    ASSERT_EQ(back.contacts.size(), 1);
    EXPECT_EQ(back.contacts[0].displayName, QStringLiteral("+1 555 0100"));
    EXPECT_EQ(back.contacts[0].phoneNumbers, c.phoneNumbers);
}
