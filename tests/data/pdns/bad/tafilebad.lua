
readTrustAnchorsFromFile('@D@/bad.key')
