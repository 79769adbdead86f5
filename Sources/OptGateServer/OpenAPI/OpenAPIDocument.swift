/// The OpenAPI 3.1 description of the API, served at `/openapi.json`.
enum OpenAPIDocument {
    static let json = "{}"
}
