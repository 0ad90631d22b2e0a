# Varnish in front of gunicorn (deploy/gunicorn.conf.py); see docs/deploy.md.
#
# - Anonymous GET/HEAD requests are cached for as long as the app's `s-maxage` says
#   (newsroom/middleware.py: reader pages an hour, search and the APIs a minute).
# - Passed, never cached: the admin (and its previews), anything with a sessionid or csrftoken
#   cookie (editors, anyone who has seen a form) or an Authorization header (API tokens), every
#   method but GET/HEAD (API writes).
# - The scheme (X-Forwarded-Proto from the TLS proxy) is part of the cache key: the app's
#   HTTP-to-HTTPS redirect is never served to HTTPS readers.
# - Tracking cookies and tracking query parameters are stripped, so they don't split the cache.
# - Pages include the breaking-news banner by ESI (/alerts/banner/, articles/alerts/): the app
#   answers Surrogate-Control: content="ESI/1.0" when a page does, and alerts are never
#   served stale (no grace), so a banner goes when its alert expires.
# - PURGE only on the listener named "purge" (varnishd -a purge=127.0.0.1:6091), which the
#   TLS proxy never forwards to: from the reader's side every PURGE or BAN is refused, whatever
#   address it seems to come from. A purge drops exactly that path, with any query string (a
#   section's ?page=2 too), on every host name: the path is compared as a string, never used
#   as a regular expression.
vcl 4.1;

import std;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (local.socket != "purge") {
            return (synth(403, "Purging is not allowed here."));
        }
        # One path, compared as a string (any query string goes with it). Bans are checked on
        # every lookup, so the next request already misses.
        if (std.ban("obj.http.x-path == " + regsub(req.url, "\?.*$", ""))) {
            return (synth(200, "Purged"));
        }
        return (synth(400, "Not purged: " + std.ban_error()));
    }
    if (local.socket == "purge") {
        return (synth(405, "Only PURGE is served here."));
    }
    # Pages are processed for ESI: the banner is the only include there is, so markup that got
    # into a page some other way can never pull in another address (an admin screen with the
    # reader's own cookies, say).
    if (req.esi_level > 0 && req.url !~ "^/alerts/banner/$") {
        return (synth(403, "Not an include."));
    }

    # Every page includes the breaking-news banner by ESI (one object for the banner, kept
    # as briefly as it stays right), so pages stay cached whatever the alerts.
    set req.http.Surrogate-Capability = "varnish=ESI/1.0";

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin(/|$)" || req.url ~ "^/_util/" || req.url ~ "^/documents/"
        || req.url ~ "[?&]preview") {
        return (pass);
    }

    # Tracking parameters: utm_*, gclid, fbclid, mc_cid/mc_eid.
    if (req.url ~ "[?&](utm_[a-z]+|gclid|fbclid|mc_[a-z]+)=") {
        set req.url = regsuball(req.url, "(utm_[a-z]+|gclid|fbclid|mc_[a-z]+)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    # Keep only the cookies the app reads; drop analytics and the like.
    if (req.http.Cookie) {
        set req.http.Cookie = ";" + req.http.Cookie;
        set req.http.Cookie = regsuball(req.http.Cookie, "; +", ";");
        set req.http.Cookie = regsuball(req.http.Cookie, ";(sessionid|csrftoken)=", "; \1=");
        set req.http.Cookie = regsuball(req.http.Cookie, ";[^ ][^;]*", "");
        set req.http.Cookie = regsuball(req.http.Cookie, "^[; ]+|[; ]+$", "");
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }
    if (req.http.Cookie ~ "(^|; )(sessionid|csrftoken)=" || req.http.Authorization) {
        return (pass);
    }
    return (hash);
}

sub vcl_hash {
    # HTTP and HTTPS answers differ (the app redirects HTTP to HTTPS); then the built-in
    # vcl_hash adds the URL and host.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # For bans (PURGE above): the ban lurker can test stored objects without the request.
    set beresp.http.x-path = regsub(bereq.url, "\?.*$", "");
    if (beresp.http.Surrogate-Control ~ "ESI/1\.0") {
        unset beresp.http.Surrogate-Control;
        set beresp.do_esi = true;
    }

    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-cache|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Keep serving a stale page for a while if the app is slow or down; never a stale alert,
    # which would outlive its expiry.
    set beresp.grace = 6h;
    if (bereq.url ~ "^/alerts/" || bereq.url ~ "^/api/(v3/|ninjs/(3/)?)alerts/") {
        set beresp.grace = 0s;
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-path;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
