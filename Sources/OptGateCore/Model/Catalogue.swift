/// The sender's products, indexed for the similarity test of the soft opt-in.
///
/// Similarity is symmetric (declaring B similar to A makes A similar to B) and not transitive
/// (A~B and B~C does not make A~C): each pair must be assessed and documented on its own.
public struct Catalogue: Sendable {
    public let products: [Product]
    private let index: [String: Int]
    /// For each product, the indices of products it is similar to (both directions), sorted.
    private let similar: [[Int]]
    /// For each product, its own id followed by the ids it is similar to.
    private let sameOrSimilarIDs: [[String]]

    public init(_ products: [Product]) {
        self.products = products
        var index: [String: Int] = [:]
        for (i, product) in products.enumerated() where index[product.id] == nil { index[product.id] = i }
        var similar = Array(repeating: [Int](), count: products.count)
        for (i, product) in products.enumerated() {
            for other in product.similarTo {
                guard let j = index[other], j != i else { continue }
                similar[i].append(j)
                similar[j].append(i)
            }
        }
        let sortedSimilar = similar.map { Array(Set($0)).sorted() }
        self.index = index
        self.similar = sortedSimilar
        self.sameOrSimilarIDs = products.indices.map { i in [products[i].id] + sortedSimilar[i].map { products[$0].id } }
    }

    /// The product's own id and the ids of the products it is similar to. For a product outside
    /// the catalogue, its own id only.
    public func sameOrSimilar(_ id: String) -> [String] {
        guard let i = index[id] else { return [id] }
        return sameOrSimilarIDs[i]
    }

    public func contains(_ productID: String) -> Bool { index[productID] != nil }

    public func product(_ id: String) -> Product? { index[id].map { products[$0] } }

    /// The same product, or a pair declared similar in either direction.
    public func isSameOrSimilar(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let i = index[a], let j = index[b] else { return false }
        return similar[i].contains(j)
    }

}
