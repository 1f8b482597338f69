// vphone-cli: the headless phone (options only: phone mode), `parse` (SIP message checker) and
// `version`.
#include "info/library_versions.h"
#include "parse_command.h"
#include "phone.h"
#include "phone_options.h"

#include <QCoreApplication>
#include <QStringList>

#include <iostream>
#include <string>
#include <vector>

namespace {

void usage(std::ostream& out)
{
    out << "usage: vphone-cli [PHONE OPTIONS]   (see below)\n"
           "       vphone-cli COMMAND [ARGS]\n"
           "commands:\n"
           "  parse [--stream] [--verbose] FILE...\n"
           "      read one raw SIP message per file and print what a UA does with it:\n"
           "      OK <METHOD|status>, REJECT <code> <reason>, or DROP (a bad response)\n"
           "      --stream   frame as TCP/TLS (Content-Length required) instead of UDP\n"
           "      --verbose  say why a message was dropped\n"
           "  version\n"
           "      print the versions of vphone and the libraries it uses\n\n"
        << vphone::cli::phoneUsage().toStdString();
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        usage(args.empty() ? std::cerr : std::cout);
        return args.empty() ? 2 : 0;
    }
    if (args[0].rfind("--", 0) == 0 && args[0] != "--version") {
        QCoreApplication app(argc, argv);
        QStringList phoneArgs = QCoreApplication::arguments();
        phoneArgs.removeFirst();
        return vphone::cli::runPhone(phoneArgs);
    }
    const std::string command = args[0];
    if (command == "parse") {
        bool stream = false;
        bool verbose = false;
        std::vector<std::string> files;
        bool options = true;
        for (std::size_t i = 1; i < args.size(); ++i) {
            const auto& a = args[i];
            if (options && a == "--") {
                options = false;
            } else if (options && a == "--stream") {
                stream = true;
            } else if (options && a == "--verbose") {
                verbose = true;
            } else if (options && a.size() > 1 && a[0] == '-') {
                std::cerr << "vphone-cli parse: unknown option '" << a << "'\n";
                return 2;
            } else {
                files.push_back(a);
            }
        }
        return vphone::cli::runParse(files, stream, verbose);
    }
    if (command == "version" || command == "--version") {
        std::cout << "vphone-cli " << VPHONE_VERSION << "\n";
        for (const auto& [lib, version] : vphone::media::libraryVersions())
            std::cout << "  " << lib << " " << version << "\n";
        return 0;
    }
    std::cerr << "vphone-cli: unknown command '" << command << "'\n";
    usage(std::cerr);
    return 2;
}
