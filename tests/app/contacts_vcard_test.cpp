// vCard import: real-world 3.0 exports (Apple, Google), RFC 6350 4.0, and bad cards rejected
// with their line number while the good ones of the same file still come out.
#include "contacts/vcard.h"

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace vphone::contacts;

namespace {

const QByteArray kPng = QByteArray::fromBase64(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

VCardImport readSample(const char* name)
{
    auto read = readVCardFile(QStringLiteral(VPHONE_TEST_DATA "/vcard/") + QLatin1String(name));
    EXPECT_TRUE(read.ok()) << (read.ok() ? "" : read.error().what.toStdString());
    return read.ok() ? *read : VCardImport{};
}

std::string messages(const QList<VCardError>& errors)
{
    std::string out;
    for (const VCardError& e : errors)
        out += e.message().toStdString() + "\n";
    return out;
}

} // namespace

TEST(ContactsVCardRead, AppleExportGroupsLabelsAndFoldedPhoto)
{
    const VCardImport in = readSample("apple_3.0.vcf");
    ASSERT_TRUE(in.errors.isEmpty()) << messages(in.errors);
    ASSERT_EQ(in.contacts.size(), 2);
    const Contact& j = in.contacts[0];
    EXPECT_EQ(j.id, 0);
    EXPECT_EQ(j.displayName, QStringLiteral("Jürgen Müller"));
    EXPECT_EQ(j.familyName, QStringLiteral("Müller"));
    EXPECT_EQ(j.givenName, QStringLiteral("Jürgen"));
    EXPECT_EQ(j.organisation, QStringLiteral("Müller & Söhne GmbH, Vertrieb"));
    EXPECT_EQ(j.note, QStringLiteral("Rückruf bitte\nnach 18 Uhr, danke"));
    const QList<PhoneNumber> numbers{{QStringLiteral("+49 170 1234567"), QStringLiteral("Mobile")},
                                     {QStringLiteral("+49 30 9876-543"), QStringLiteral("work")}};
    EXPECT_EQ(j.phoneNumbers, numbers);
    const QList<SipAddress> sip{{QStringLiteral("sip:juergen@example.de"), QStringLiteral("Other")}};
    EXPECT_EQ(j.sipAddresses, sip);
    EXPECT_EQ(j.photo, kPng); // folded over three lines with two-space indents
    EXPECT_EQ(j.photoMimeType, QStringLiteral("image/png"));
    EXPECT_TRUE(j.favourite); // CATEGORIES:Favorites
    EXPECT_FALSE(j.blf);

    const Contact& d = in.contacts[1];
    EXPECT_EQ(d.displayName, QStringLiteral("John Doe"));
    const QList<PhoneNumber> doeNumbers{{QStringLiteral("(555) 010-9999"), QStringLiteral("Büro")}};
    EXPECT_EQ(d.phoneNumbers, doeNumbers);
    // X-SIP and IMPP name the same address: kept once.
    const QList<SipAddress> doeSip{{QStringLiteral("sip:john@sip.example.com"), QString()}};
    EXPECT_EQ(d.sipAddresses, doeSip);
    EXPECT_FALSE(d.favourite);
    EXPECT_TRUE(d.photo.isEmpty());
}

TEST(ContactsVCardRead, GoogleExportLfLineEndsTypesAndSipUrl)
{
    const VCardImport in = readSample("google_3.0.vcf");
    ASSERT_TRUE(in.errors.isEmpty()) << messages(in.errors);
    ASSERT_EQ(in.contacts.size(), 2);
    const Contact& j = in.contacts[0];
    EXPECT_EQ(j.displayName, QStringLiteral("José Álvarez"));
    const QList<PhoneNumber> numbers{{QStringLiteral("+34 600 11 22 33"), QStringLiteral("cell")},
                                     {QStringLiteral("91 555 44 33"), QStringLiteral("home")}};
    EXPECT_EQ(j.phoneNumbers, numbers);
    const QList<SipAddress> sip{{QStringLiteral("sip:jose@voip.example.es"), QStringLiteral("SIP")}};
    EXPECT_EQ(j.sipAddresses, sip);
    EXPECT_TRUE(j.favourite);      // Google's "starred"
    EXPECT_TRUE(j.note.isEmpty()); // EMAIL is not kept

    const Contact& b = in.contacts[1];
    EXPECT_EQ(b.displayName, QStringLiteral("Björk Guðmundsdóttir"));
    EXPECT_EQ(b.note, QStringLiteral("Line one\nLine two with a semicolon; and a backslash \\ here"));
    EXPECT_FALSE(b.favourite);
}

TEST(ContactsVCardRead, Version4TelUrisDataPhotoAndOwnFlags)
{
    const VCardImport in = readSample("rfc6350_4.0.vcf");
    ASSERT_TRUE(in.errors.isEmpty()) << messages(in.errors);
    ASSERT_EQ(in.contacts.size(), 1);
    const Contact& z = in.contacts[0];
    EXPECT_EQ(z.displayName, QStringLiteral("Zoë Åkesson"));
    EXPECT_EQ(z.organisation, QStringLiteral("Example, Inc."));
    const QList<PhoneNumber> numbers{{QStringLiteral("+46-70-123-45-67"), QStringLiteral("cell")},
                                     {QStringLiteral("+46-8-555-0100"), QStringLiteral("work")}};
    EXPECT_EQ(z.phoneNumbers, numbers);
    // The xmpp: IMPP is not a SIP address.
    const QList<SipAddress> sip{{QStringLiteral("sip:zoe@example.se"), QString()}};
    EXPECT_EQ(z.sipAddresses, sip);
    EXPECT_EQ(z.photo, kPng); // data: URI folded with a TAB continuation
    EXPECT_EQ(z.photoMimeType, QStringLiteral("image/png"));
    EXPECT_TRUE(z.blf);
    EXPECT_TRUE(z.favourite);
}

TEST(ContactsVCardRead, UnfoldingEscapesAndParameters)
{
    const QByteArray card = "BEGIN:VCARD\r\n"
                            "VERSION:3.0\r\n"
                            "FN:Anna-Lena\r\n"
                            "  Ströbele\r\n" // fold: CRLF + one space removed, the second kept
                            "N:Str\\;ö\\,bele;Anna\\\\Lena;;;\n" // LF alone ends a line too
                            "NOTE:a\\nb\\Nc\\,d\\;e\\\\f\\x\r\n"
                            "TEL;CELL:+1 555\r\n" // bare TYPE value (2.1 habit)
                            "TEL;TYPE=\"home,voice\":+1 556\r\n"
                            "TEL;type=voice;type=WORK:+1 557\r\n"
                            "IMPP;X-SERVICE-TYPE=SIP:SIPS:Secure@Example.com\r\n"
                            "X-SIP;TYPE=x-sip:bob@example.com\r\n"
                            "ITEM7.x-sip:carol@example.com\r\n"
                            "item7.X-ABLABEL:  Lab\\, one \r\n"
                            "END:VCARD\r\n";
    const VCardImport in = parseVCards(card);
    ASSERT_TRUE(in.errors.isEmpty()) << messages(in.errors);
    ASSERT_EQ(in.contacts.size(), 1);
    const Contact& c = in.contacts[0];
    EXPECT_EQ(c.displayName, QStringLiteral("Anna-Lena Ströbele"));
    EXPECT_EQ(c.familyName, QStringLiteral("Str;ö,bele"));
    EXPECT_EQ(c.givenName, QStringLiteral("Anna\\Lena"));
    EXPECT_EQ(c.note, QStringLiteral("a\nb\nc,d;e\\fx"));
    const QList<PhoneNumber> numbers{{QStringLiteral("+1 555"), QStringLiteral("cell")},
                                     {QStringLiteral("+1 556"), QStringLiteral("home")},
                                     {QStringLiteral("+1 557"), QStringLiteral("work")}};
    EXPECT_EQ(c.phoneNumbers, numbers);
    const QList<SipAddress> sip{{QStringLiteral("sips:Secure@Example.com"), QString()},
                                {QStringLiteral("sip:bob@example.com"), QString()},
                                {QStringLiteral("sip:carol@example.com"), QStringLiteral("Lab, one")}};
    EXPECT_EQ(c.sipAddresses, sip);
}

TEST(ContactsVCardRead, NameFromNWhenFnMissing)
{
    const VCardImport in = parseVCards("BEGIN:VCARD\nVERSION:4.0\nN:Ørsted;Hans;;;\nEND:VCARD\n");
    ASSERT_EQ(in.contacts.size(), 1);
    EXPECT_EQ(in.contacts[0].displayName, QStringLiteral("Hans Ørsted"));
    EXPECT_TRUE(in.errors.isEmpty());
}

TEST(ContactsVCardRead, BadCardsGiveLineAndReasonGoodCardsKept)
{
    const QByteArray file = "BEGIN:VCARD\r\n"                    // 1
                            "VERSION:3.0\r\n"                    // 2
                            "FN:Good One\r\n"                    // 3
                            "END:VCARD\r\n"                      // 4
                            "BEGIN:VCARD\r\n"                    // 5
                            "VERSION:3.0\r\n"                    // 6
                            "this line has no colon\r\n"         // 7
                            "END:VCARD\r\n"                      // 8
                            "BEGIN:VCARD\r\n"                    // 9
                            "VERSION:2.1\r\n"                    // 10
                            "FN:Old Phone\r\n"                   // 11
                            "END:VCARD\r\n"                      // 12
                            "BEGIN:VCARD\r\n"                    // 13
                            "VERSION:3.0\r\n"                    // 14
                            "FN:Broken Photo\r\n"                // 15
                            "PHOTO;ENCODING=b;TYPE=JPEG:abc\r\n" // 16
                            " d!!\r\n"                           // 17
                            "END:VCARD\r\n"                      // 18
                            "BEGIN:VCARD\r\n"                    // 19
                            "VERSION:4.0\r\n"                    // 20
                            "NOTE:nameless\r\n"                  // 21
                            "END:VCARD\r\n"                      // 22
                            "garbage between cards\r\n"          // 23
                            "more garbage\r\n"                   // 24
                            "BEGIN:VCARD\r\n"                    // 25
                            "VERSION:3.0\r\n"                    // 26
                            "FN:Never Ended\r\n"                 // 27
                            "BEGIN:VCARD\r\n"                    // 28
                            "VERSION:4.0\r\n"                    // 29
                            "FN:Good Two\r\n"                    // 30
                            "END:VCARD\r\n"                      // 31
                            "END:VCARD\r\n"                      // 32
                            "BEGIN:VCARD\r\n"                    // 33
                            "VERSION:4.0\r\n"                    // 34
                            "FN:Cut Off\r\n";                    // 35
    const VCardImport in = parseVCards(file);
    ASSERT_EQ(in.contacts.size(), 2);
    EXPECT_EQ(in.contacts[0].displayName, QStringLiteral("Good One"));
    EXPECT_EQ(in.contacts[1].displayName, QStringLiteral("Good Two"));
    const QStringList expected{
        QStringLiteral("line 7: property without ':'"),
        QStringLiteral("line 10: VERSION 2.1 not supported"),
        QStringLiteral("line 16: PHOTO base64 is invalid"),
        QStringLiteral("line 19: card has no FN and no N"),
        QStringLiteral("line 23: text outside BEGIN:VCARD ... END:VCARD"),
        QStringLiteral("line 25: BEGIN:VCARD without END:VCARD"),
        QStringLiteral("line 32: END:VCARD without BEGIN:VCARD"),
        QStringLiteral("line 33: BEGIN:VCARD without END:VCARD"),
    };
    QStringList got;
    for (const VCardError& e : in.errors)
        got.append(e.message());
    EXPECT_EQ(got, expected);
}

TEST(ContactsVCardRead, QuotedPrintableAndUnknownVersionRejected)
{
    const VCardImport in =
        parseVCards("BEGIN:VCARD\nVERSION:3.0\nFN;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg\nEND:VCARD\n"
                    "BEGIN:VCARD\nVERSION:5.0\nFN:Future\nEND:VCARD\n");
    EXPECT_TRUE(in.contacts.isEmpty());
    ASSERT_EQ(in.errors.size(), 2);
    EXPECT_EQ(in.errors[0],
              (VCardError{3, QStringLiteral("ENCODING=QUOTED-PRINTABLE (vCard 2.1) not supported")}));
    EXPECT_EQ(in.errors[1], (VCardError{6, QStringLiteral("VERSION 5.0 not supported")}));
}

TEST(ContactsVCardRead, HostileInputIsBounded)
{
    // A card over the size limit is skipped with one error; the next card still reads.
    QByteArray big = "BEGIN:VCARD\nVERSION:3.0\nFN:Huge\nNOTE:";
    big += QByteArray(kVCardMaxCardBytes + 10, 'a');
    big += "\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Small\nEND:VCARD\n";
    VCardImport in = parseVCards(big);
    ASSERT_EQ(in.contacts.size(), 1);
    EXPECT_EQ(in.contacts[0].displayName, QStringLiteral("Small"));
    ASSERT_EQ(in.errors.size(), 1);
    EXPECT_EQ(in.errors[0].line, 1);
    EXPECT_TRUE(in.errors[0].reason.startsWith(QStringLiteral("card larger than")));

    // Too many properties; and far more addresses than kept.
    QByteArray many = "BEGIN:VCARD\nVERSION:3.0\nFN:Many\n";
    for (int i = 0; i < kVCardMaxProperties + 1; ++i)
        many += "X-JUNK:1\n";
    many += "END:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Lots\n";
    for (int i = 0; i < 3 * kVCardMaxAddresses; ++i)
        many += "TEL:" + QByteArray::number(1000 + i) + "\n";
    many += "END:VCARD\n";
    in = parseVCards(many);
    ASSERT_EQ(in.contacts.size(), 1);
    EXPECT_EQ(in.contacts[0].phoneNumbers.size(), kVCardMaxAddresses);
    ASSERT_EQ(in.errors.size(), 1);
    EXPECT_EQ(in.errors[0].message(),
              QStringLiteral("line 1: card has more than %1 properties").arg(kVCardMaxProperties));

    // Thousands of unterminated BEGINs: the error list is capped.
    QByteArray begins;
    for (int i = 0; i < kVCardMaxErrors + 500; ++i)
        begins += "BEGIN:VCARD\n";
    in = parseVCards(begins);
    EXPECT_EQ(in.errors.size(), kVCardMaxErrors);
    EXPECT_TRUE(in.contacts.isEmpty());
}

TEST(ContactsVCardRead, FileErrorsNameThePath)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString missing = dir.filePath(QStringLiteral("missing.vcf"));
    auto read = readVCardFile(missing);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(read.error().what.contains(missing)) << read.error().what.toStdString();

    const QString path = dir.filePath(QStringLiteral("bom.vcf"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("\xEF\xBB\xBF"
               "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bom\r\nEND:VCARD\r\n");
    file.close();
    read = readVCardFile(path);
    ASSERT_TRUE(read.ok());
    ASSERT_EQ(read->contacts.size(), 1);
    EXPECT_EQ(read->contacts[0].displayName, QStringLiteral("Bom"));
}
