namespace Sealpod.Tee.TestSupport;

/// <summary>P-384 keys made for these tests with <c>openssl ecparam -name secp384r1 -genkey -noout</c>; they protect nothing.</summary>
public static class TestKeys
{
    public const string Id = """
        -----BEGIN EC PRIVATE KEY-----
        MIGkAgEBBDCmZz81qKpmlqt5plfm8HeSn5yyqOsKxxXsP7yG6JmoAJiCisJrXYUq
        ju+j8vWs5EGgBwYFK4EEACKhZANiAASE2sK87WTGNB1runHVUAzY0KcYAyK5vxBQ
        emEdgjhOiesQ5mxxBwkXKpmD1Q/m1zMoJfe0dRyHqJos+pbsmX/Jr14MRVqjLJDM
        jwzk4E0R/ENzMAo/44Cl3Zms7z6S56I=
        -----END EC PRIVATE KEY-----
        """;

    public const string Author = """
        -----BEGIN EC PRIVATE KEY-----
        MIGkAgEBBDC/9Gjx4ucvQxrSmsumV7IfI80X4wck6TyehOiWedgBNLlUA0M0xtD5
        UDXEjl9dEMqgBwYFK4EEACKhZANiAAQ9lP+aWLYJqX4GqO1woxSWH4Ht5hwnNPOX
        2sYm5oR45ptVQtzbFL3ohnwcMMbi7BF07PL9XSfPnI9RlvKfR38Cg3/CyMzbuQlM
        EaYheddQskqL444ACgnXHXDvfWV+MPY=
        -----END EC PRIVATE KEY-----
        """;
}
