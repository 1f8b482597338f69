#include "parse_command.h"

#include "sip/parser.h"
#include "sip/validate.h"

#include <fstream>
#include <iostream>
#include <iterator>

namespace vphone::cli {
namespace {

bool readFile(const std::string& path, std::string& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

} // namespace

int runParse(const std::vector<std::string>& files, bool stream, bool verbose)
{
    if (files.empty()) {
        std::cerr << "vphone-cli parse: no files given (usage: vphone-cli parse [--stream] FILE...)\n";
        return 2;
    }
    int status = 0;
    for (const auto& path : files) {
        std::string bytes;
        if (!readFile(path, bytes)) {
            std::cerr << "vphone-cli parse: cannot read " << path << "\n";
            status = 1;
            continue;
        }
        std::string detail;
        const std::string line =
            sip::verdictLine(bytes, stream ? sip::Framing::Stream : sip::Framing::Datagram, {}, &detail);
        if (files.size() > 1) std::cout << path << ": ";
        std::cout << line << "\n";
        if (verbose && !detail.empty()) std::cout << "  why: " << detail << "\n";
    }
    return status;
}

} // namespace vphone::cli
