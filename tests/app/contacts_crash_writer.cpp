// Helper of ContactsCrash: `vphone_contacts_crash_writer DB FIRST` adds contacts "crash FIRST",
// "crash FIRST+1"... forever, one transaction each (a row, two addresses, two numbers), and
// writes each number to stdout only after addContact() returned, i.e. after COMMIT. The test
// kills it with SIGKILL at an arbitrary moment.
#include "contacts/database.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace vphone::contacts;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s DB FIRST\n", argv[0]);
        return 2;
    }
    auto db = Database::open(QString::fromLocal8Bit(argv[1]));
    if (!db) {
        std::fprintf(stderr, "%s\n", qPrintable(db.error().what));
        return 1;
    }
    const QString filler(1500, QChar(u'é')); // several pages per transaction
    for (long n = std::atol(argv[2]);; ++n) {
        Contact c;
        c.displayName = QStringLiteral("crash %1").arg(n);
        c.note = filler;
        c.sipAddresses = {{QStringLiteral("sip:crash%1@a.example").arg(n), QString()},
                          {QStringLiteral("sip:crash%1@b.example").arg(n), QString()}};
        c.phoneNumbers = {{QString::number(5'000'000 + n), QString()},
                          {QString::number(6'000'000 + n), QString()}};
        if (auto id = db->addContact(c); !id) {
            std::fprintf(stderr, "%s\n", qPrintable(id.error().what));
            return 1;
        }
        // write(2) straight to the pipe: nothing sits in a stdio buffer when the kill lands.
        const std::string line = std::to_string(n) + "\n";
        if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return 1;
    }
}
