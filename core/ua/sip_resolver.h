// Locating SIP servers (RFC 3263 §4) with Qt's DNS: SRV records, then A/AAAA, ordered by SRV
// priority and weight (RFC 2782), so the driver can fail over to the next target.
#pragma once

#include "sip/transaction.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace vphone::ua {

/// One place to send to: an address and port.
struct SipTarget {
    QHostAddress address;
    quint16 port = 0;
};

/// Resolves a host name for a transport into an ordered list of targets.
class SipResolver : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const QList<SipTarget>& targets, const QString& error)>;

    explicit SipResolver(QObject* parent = nullptr);

    /// Queries this name server (port 53) instead of the system's, for SRV and A/AAAA.
    void setNameserver(const QHostAddress& server) { nameserver_ = server; }

    /// Resolves `host`. With `explicitPort` (the URI named a port) only A/AAAA are looked up
    /// (§4.2); otherwise SRV `_sip._udp` / `_sip._tcp` / `_sips._tcp` first, falling back to
    /// A/AAAA on `defaultPort`. Results are cached for the session. The callback runs once.
    void resolve(const QString& host, sip::Transport transport, quint16 port, bool explicitPort,
                 Callback done);

    /// Orders SRV records (priority ascending, then a weighted random order inside a priority,
    /// RFC 2782); `random` returns a value in [0, total weight]. Exposed for tests.
    struct Srv {
        QString target;
        quint16 port = 0;
        quint16 priority = 0;
        quint16 weight = 0;
    };
    static QList<Srv> orderSrv(QList<Srv> records, const std::function<quint32(quint32)>& random);

private:
    void lookupAddresses(const QString& name, std::function<void(QList<QHostAddress>)> done);

    QHostAddress nameserver_;
    QHash<QString, QList<SipTarget>> cache_;
};

} // namespace vphone::ua
