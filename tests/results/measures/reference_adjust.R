# Reference values for impactkit.p_adjust (R 4.2, stats::p.adjust).
# Run from this directory: Rscript reference_adjust.R   -> adjust.csv
# Every R method on five p-value vectors (ties, an NA, exact zeros/ones, a long vector), and with
# n larger than the number of p-values. Šidák and Holm-Šidák are not in R: written out here as
# 1 - (1 - p)^m and Holm's step-down with 1 - (1 - p_(i))^(m - i + 1) and a running maximum.
options(digits = 17)
set.seed(17)
vecs <- list(
  small = c(0.01, 0.04, 0.03, 0.2, 0.001),
  ties = c(0.02, 0.02, 0.5, 0.01, 0.01, 0.04, 1, 0),
  with_na = c(0.03, NA, 0.012, 0.6, 0.0004, 0.049),
  two = c(0.03, 0.04),
  long = round(c(runif(12, 0, 0.1), runif(13)), 6)
)
sidak <- function(p, n = sum(!is.na(p))) { o <- 1 - (1 - p)^n; pmin(1, o) }
holm_sidak <- function(p, n = sum(!is.na(p))) {
  out <- p; ok <- !is.na(p); q <- p[ok]; o <- order(q); i <- seq_along(q)
  adj <- cummax(1 - (1 - q[o])^(n + 1 - i)); r <- numeric(length(q)); r[o] <- pmin(1, adj); out[ok] <- r; out
}
rows <- list()
for (nm in names(vecs)) {
  p <- vecs[[nm]]
  for (n_extra in c(0, 3)) {
    n <- sum(!is.na(p)) + n_extra
    for (m in c("bonferroni", "holm", "hochberg", "hommel", "BH", "BY", "none"))
      rows[[length(rows) + 1]] <- data.frame(vector = nm, n = n, method = m, index = seq_along(p), p = p,
                                             adjusted = p.adjust(p, m, n = n))
    rows[[length(rows) + 1]] <- data.frame(vector = nm, n = n, method = "sidak", index = seq_along(p), p = p,
                                           adjusted = sidak(p, n))
    rows[[length(rows) + 1]] <- data.frame(vector = nm, n = n, method = "holm-sidak", index = seq_along(p),
                                           p = p, adjusted = holm_sidak(p, n))
  }
}
write.csv(do.call(rbind, rows), "adjust.csv", row.names = FALSE)
