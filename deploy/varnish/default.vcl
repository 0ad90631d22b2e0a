# Varnish in front of gunicorn (deploy/gunicorn.conf.py); see docs/deploy.md.
#
# - Anonymous GET/HEAD requests are cached for as long as the app's `s-maxage` says
#   (newsroom/middleware.py: reader pages an hour, search and the APIs a minute).
# - Passed, never cached: the admin (and its previews), anything with a sessionid or csrftoken
#   cookie (editors, anyone who has seen a form), every method but GET/HEAD (API writes).
# - Tracking cookies and tracking query parameters are stripped, so they don't split the cache.
# - PURGE from this machine only (Wagtail's frontend cache, VARNISH_URL) drops the URL with
#   any query string (a section's ?page=2 too), on every host name.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from " + client.ip));
        }
        # Bans are checked on every lookup, so the next request already misses.
        ban("obj.http.x-url ~ ^" + regsub(req.url, "\?.*$", "") + "(\?.*)?$");
        return (synth(200, "Purged"));
    }

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
    if (req.http.Cookie ~ "(^|; )(sessionid|csrftoken)=") {
        return (pass);
    }
    return (hash);
}

sub vcl_backend_response {
    # For bans (PURGE above): the ban lurker can test stored objects without the request.
    set beresp.http.x-url = bereq.url;

    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-cache|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Keep serving a stale page for a while if the app is slow or down.
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
