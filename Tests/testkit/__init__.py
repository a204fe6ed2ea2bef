"""Helpers of the black-box test suites (Tests/integration, Tests/e2e), the demo (scripts/demo) and the benchmarks
(scripts/bench): one concern per module.

    paths           where things are in the repository: the binaries, Tests/Fixtures, scripts/gen-certs.sh
    pki             throw-away CAs, server and client certificates; verifying client contexts
    secret_volume   a directory laid out like a mounted Kubernetes Secret, and its atomic `..data` swap
    dev_certs       the development certificates of scripts/gen-certs.sh
    config          conf.yaml of the processes under test (written as YAML, merged, demo healing durations)
    binary          a private, runnable copy of the vigilante binary under test
    vigilante       one `vigilante run` process: ports from its log, the log itself, signals, CPU time
    launcher        starts vigilante processes with a default certificate (and a fake cluster), stops them all
    raw_http        HTTP/1.x on raw (TLS) sockets, so that a test controls every byte and every connection
    openssl_client  `openssl s_client` runs and what they negotiated
    reviews         AdmissionReviews (small, sized, from Tests/Fixtures, of Node changes), the Node objects in them
    metrics         the Prometheus text exposition: scraping and reading samples
    waiting         waiting for a condition, bounded
    fake_cluster    the fake Kubernetes API server (Tests/fakeapi) as a subprocess, with its admin API
    cluster_effects what vigilante did to the fake cluster: probe pods, node patches, annotations, Events
    webhook_caller  the webhook's real client, kube-apiserver, played over one kept-alive HTTPS connection
    review_loop     the API server's steady stream of callbacks, every outcome sorted

`testkit` and `fakeapi` are importable because scripts/setup.sh puts a .pth file naming Tests/ into .venv."""
