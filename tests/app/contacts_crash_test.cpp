// Crash safety: a separate writer process (its own connection, nothing inherited through
// fork) is killed with SIGKILL in the middle of its transactions, three times over. After each
// kill the file passes PRAGMA integrity_check, every contact the writer reported committed is
// there, and no contact is half-written.
#include "contacts/database.h"
#include "contacts_test_util.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSet>

using namespace vphone::contacts;
using contacts_test::value;

namespace {

/// Runs the writer from `first` until it reported at least `commits` numbers, kills it, and
/// returns every number it reported.
QList<long> runAndKill(const QString& path, long first, int commits)
{
    QProcess writer;
    writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    writer.start(QStringLiteral(VPHONE_CONTACTS_CRASH_WRITER), {path, QString::number(first)});
    EXPECT_TRUE(writer.waitForStarted(10'000));
    QByteArray output;
    QElapsedTimer timer;
    timer.start();
    while (output.count('\n') < commits && timer.elapsed() < 90'000 && writer.state() == QProcess::Running) {
        writer.waitForReadyRead(1000);
        output += writer.readAllStandardOutput();
    }
    writer.kill(); // SIGKILL: no destructor, no COMMIT of whatever is in flight
    EXPECT_TRUE(writer.waitForFinished(10'000));
    EXPECT_EQ(writer.exitStatus(), QProcess::CrashExit);
    output += writer.readAllStandardOutput();
    QList<long> reported;
    // Only whole lines count: a number is reported once its newline is written.
    const qsizetype end = output.lastIndexOf('\n');
    for (const QByteArray& line : output.left(end < 0 ? 0 : end).split('\n'))
        if (!line.isEmpty()) reported.append(line.toLong());
    return reported;
}

} // namespace

TEST(ContactsCrash, KilledWriterLosesNothingCommittedAndLeavesNoHalfRows)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crash.db"));
    long next = 1;
    for (int round = 0; round < 3; ++round) {
        const QList<long> reported = runAndKill(path, next, 150 + 100 * round);
        ASSERT_GE(reported.size(), 150 + 100 * round) << "round " << round;
        EXPECT_EQ(reported.first(), next);
        EXPECT_EQ(reported.last(), next + reported.size() - 1);

        contacts_test::withRawConnection(path, [](QSqlDatabase& raw) {
            EXPECT_EQ(contacts_test::rawScalar(raw, QStringLiteral("PRAGMA integrity_check")).toString(),
                      QStringLiteral("ok"));
            EXPECT_EQ(contacts_test::rawScalar(raw, QStringLiteral("PRAGMA foreign_key_check")), QVariant());
        });
        auto db = contacts_test::open(path);
        ASSERT_TRUE(db);
        const QList<Contact> all = value(db->contacts());
        QSet<long> present;
        for (const Contact& c : all) {
            const long n = c.displayName.mid(6).toLong();
            present.insert(n);
            // All or nothing per transaction: the row with both addresses and both numbers.
            ASSERT_EQ(c.sipAddresses.size(), 2) << c.displayName.toStdString();
            ASSERT_EQ(c.phoneNumbers.size(), 2) << c.displayName.toStdString();
            EXPECT_EQ(c.sipAddresses[1].uri, QStringLiteral("sip:crash%1@b.example").arg(n));
            EXPECT_EQ(c.phoneNumbers[1].number, QString::number(6'000'000 + n));
            EXPECT_EQ(c.note.size(), 1500);
        }
        for (long n : reported)
            EXPECT_TRUE(present.contains(n)) << "committed contact " << n << " lost in round " << round;
        // At most the one commit that finished before its number got out may be extra.
        const long last = reported.last();
        EXPECT_TRUE(all.size() == last || all.size() == last + 1)
            << all.size() << " rows, last reported " << last;
        next = static_cast<long>(all.size()) + 1;
        // The store still takes writes after the crash.
        CallRecord call;
        call.peerUri = QStringLiteral("sip:after-crash@example.com");
        call.startTime = QDateTime::currentDateTimeUtc();
        ASSERT_TRUE(db->addCall(call).ok());
    }
}
