import PipecHTTP
import Testing

@Suite struct URLEncodingTests {
    @Test func unreservedCharactersStayAndTheRestIsEscaped() {
        #expect(URLEncoding.encode("a-b_c.d~e") == "a-b_c.d~e")
        #expect(URLEncoding.encode("a b+c/d") == "a%20b%2Bc%2Fd")
        #expect(URLEncoding.encode("raw/2024/01 f.csv", keepSlash: true) == "raw/2024/01%20f.csv")
        #expect(URLEncoding.encode("é") == "%C3%A9")
    }

    @Test func queriesAreSortedAsSigV4Expects() {
        #expect(URLEncoding.query([("uploadId", "X"), ("partNumber", "1")]) == "partNumber=1&uploadId=X")
        #expect(URLEncoding.query([("uploads", "")]) == "uploads=")
        #expect(URLEncoding.query([("prefix", "a/"), ("list-type", "2"), ("delimiter", "/")]) == "delimiter=%2F&list-type=2&prefix=a%2F")
    }
}
