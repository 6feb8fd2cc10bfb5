-- anchors from a file, re-read daily
readTrustAnchorsFromFile('@D@/stale.key')
