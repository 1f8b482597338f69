#include "ua/sip_resolver.h"

#include <QDnsLookup>
#include <QHostInfo>
#include <QRandomGenerator>

#include <algorithm>
#include <memory>

namespace vphone::ua {

SipResolver::SipResolver(QObject* parent) : QObject(parent) {}

QList<SipResolver::Srv> SipResolver::orderSrv(QList<Srv> records,
                                              const std::function<quint32(quint32)>& random)
{
    std::stable_sort(records.begin(), records.end(),
                     [](const Srv& a, const Srv& b) { return a.priority < b.priority; });
    QList<Srv> out;
    for (qsizetype i = 0; i < records.size();) {
        qsizetype j = i;
        while (j < records.size() && records[j].priority == records[i].priority)
            ++j;
        // RFC 2782: within one priority, pick by running sum of weights, zero weights first.
        QList<Srv> group(records.begin() + i, records.begin() + j);
        std::stable_sort(group.begin(), group.end(),
                         [](const Srv& a, const Srv& b) { return a.weight < b.weight; });
        while (!group.isEmpty()) {
            quint32 total = 0;
            for (const auto& r : group)
                total += r.weight;
            const quint32 pick = random(total);
            quint32 sum = 0;
            qsizetype chosen = group.size() - 1;
            for (qsizetype k = 0; k < group.size(); ++k) {
                sum += group[k].weight;
                if (sum >= pick) {
                    chosen = k;
                    break;
                }
            }
            out.append(group.takeAt(chosen));
        }
        i = j;
    }
    return out;
}

void SipResolver::lookupAddresses(const QString& name, std::function<void(QList<QHostAddress>)> done)
{
    if (nameserver_.isNull()) {
        QHostInfo::lookupHost(name, this, [done](const QHostInfo& info) {
            done(info.error() == QHostInfo::NoError ? info.addresses() : QList<QHostAddress>{});
        });
        return;
    }
    // A private name server: ask it for A (then AAAA if there is no A).
    auto* a = new QDnsLookup(QDnsLookup::A, name, nameserver_, this);
    connect(a, &QDnsLookup::finished, this, [this, a, name, done] {
        a->deleteLater();
        QList<QHostAddress> out;
        for (const auto& r : a->hostAddressRecords())
            out.append(r.value());
        if (!out.isEmpty()) {
            done(out);
            return;
        }
        auto* aaaa = new QDnsLookup(QDnsLookup::AAAA, name, nameserver_, this);
        connect(aaaa, &QDnsLookup::finished, this, [aaaa, done] {
            aaaa->deleteLater();
            QList<QHostAddress> v6;
            for (const auto& r : aaaa->hostAddressRecords())
                v6.append(r.value());
            done(v6);
        });
        aaaa->lookup();
    });
    a->lookup();
}

void SipResolver::resolve(const QString& host, sip::Transport transport, quint16 port, bool explicitPort,
                          Callback done)
{
    const QString key =
        QStringLiteral("%1|%2|%3|%4").arg(host).arg(int(transport)).arg(port).arg(explicitPort);
    if (auto it = cache_.find(key); it != cache_.end()) {
        done(*it, QString());
        return;
    }
    const auto finish = [this, key, host, done](const QList<SipTarget>& targets) {
        if (targets.isEmpty()) {
            done({}, QStringLiteral("cannot resolve %1").arg(host));
            return;
        }
        cache_.insert(key, targets);
        done(targets, QString());
    };
    const auto byAddress = [this, host, port, finish] {
        lookupAddresses(host, [port, finish](const QList<QHostAddress>& addresses) {
            QList<SipTarget> targets;
            for (const auto& a : addresses)
                targets.append(SipTarget{a, port});
            finish(targets);
        });
    };
    if (explicitPort) {
        byAddress();
        return;
    }
    // RFC 3263 §4.2: SRV for the chosen transport.
    QString service;
    switch (transport) {
    case sip::Transport::Tls: service = QStringLiteral("_sips._tcp."); break;
    case sip::Transport::Tcp: service = QStringLiteral("_sip._tcp."); break;
    default: service = QStringLiteral("_sip._udp."); break;
    }
    auto* srv = nameserver_.isNull() ? new QDnsLookup(QDnsLookup::SRV, service + host, this)
                                     : new QDnsLookup(QDnsLookup::SRV, service + host, nameserver_, this);
    connect(srv, &QDnsLookup::finished, this, [this, srv, byAddress, finish] {
        srv->deleteLater();
        QList<Srv> records;
        for (const auto& r : srv->serviceRecords()) {
            records.append(Srv{r.target(), r.port(), r.priority(), r.weight()});
        }
        if (srv->error() != QDnsLookup::NoError || records.isEmpty()) {
            byAddress(); // no SRV: A/AAAA on the default port
            return;
        }
        const auto ordered =
            orderSrv(records, [](quint32 total) { return QRandomGenerator::global()->bounded(total + 1); });
        // Resolve each SRV target in order; the list keeps the SRV order.
        auto results = std::make_shared<QList<QList<SipTarget>>>(ordered.size());
        auto remaining = std::make_shared<int>(static_cast<int>(ordered.size()));
        for (qsizetype i = 0; i < ordered.size(); ++i) {
            const Srv s = ordered[i];
            lookupAddresses(s.target,
                            [results, remaining, i, s, finish](const QList<QHostAddress>& addresses) {
                                for (const auto& a : addresses)
                                    (*results)[i].append(SipTarget{a, s.port});
                                if (--*remaining > 0) return;
                                QList<SipTarget> all;
                                for (const auto& r : *results)
                                    all.append(r);
                                finish(all);
                            });
        }
    });
    srv->lookup();
}

} // namespace vphone::ua
