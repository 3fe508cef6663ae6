# Synthetic long datasets for the measures reference tests (R 4.2, base R only).
# Run from this directory: Rscript make_data.R
set.seed(20240611)

# 1. Ordinal 1-5 scores: 80 families x 3 waves x 3 domains, ties and zeros everywhere,
#    ~20% of families missing at year2 (implicit: no row) and a few explicit NA scores.
n <- 80
waves <- c("intake", "year1", "year2")
domains <- c("finances", "housing", "social_network")
rows <- list()
for (d in seq_along(domains)) {
  base <- rnorm(n, 2.5 + 0.3 * d, 0.9)
  fam <- rnorm(n, 0, 0.4)
  for (w in seq_along(waves)) {
    gain <- c(0, 0.35, 0.6)[w] * (1 + 0.5 * (d == 1))
    s <- round(base + fam + gain + rnorm(n, 0, 0.6))
    s <- pmin(5, pmax(1, s))
    rows[[length(rows) + 1]] <- data.frame(
      family_id = sprintf("F%03d", 1:n), wave = waves[w], domain = domains[d], score = s
    )
  }
}
ord <- do.call(rbind, rows)
drop_y2 <- sprintf("F%03d", sample(1:n, 16))
ord <- ord[!(ord$wave == "year2" & ord$family_id %in% drop_y2), ]
ord$score[sample(nrow(ord), 8)] <- NA
write.csv(ord, "long_ordinal.csv", row.names = FALSE, na = "")

# 2. Continuous scores, 20 families x 3 waves x 2 domains (no ties: exact Wilcoxon applies).
n <- 20
rows <- list()
for (d in 1:2) {
  base <- rnorm(n, 50, 10)
  for (w in 1:3) {
    rows[[length(rows) + 1]] <- data.frame(
      family_id = sprintf("C%02d", 1:n), wave = waves[w], domain = c("alpha", "beta")[d],
      score = round(base + c(0, 3, 5)[w] * d + rnorm(n, 0, 4 + w), 3)
    )
  }
}
con <- do.call(rbind, rows)
write.csv(con, "long_continuous.csv", row.names = FALSE, na = "")

# 3. Real public data: afex's obk.long (O'Brien & Kaiser 1985), mean over hours per id x phase.
data(obk.long, package = "afex")
obk <- aggregate(value ~ id + phase, data = obk.long, FUN = mean)
obk$phase <- factor(obk$phase, levels = c("pre", "post", "fup"))
write.csv(data.frame(family_id = sprintf("S%02d", as.integer(obk$id)), wave = obk$phase,
                     domain = "value", score = obk$value), "obk_phase.csv", row.names = FALSE)
# five within levels (hour) in the pre phase: Mauchly with k = 5
pre <- obk.long[obk.long$phase == "pre", ]
write.csv(data.frame(family_id = sprintf("S%02d", as.integer(pre$id)), wave = paste0("h", pre$hour),
                     domain = "value", score = pre$value), "obk_hour_pre.csv", row.names = FALSE)

# 4. Real public data: datasets::sleep (Student 1908), paired, with a zero and ties.
write.csv(data.frame(family_id = sprintf("P%02d", as.integer(sleep$ID)),
                     wave = ifelse(sleep$group == 1, "drug1", "drug2"), domain = "extra",
                     score = sleep$extra), "sleep.csv", row.names = FALSE)

# 5. Item answers (1-4) for Cronbach's alpha: 120 families, two domains of 4 and 5 items,
#    one reverse-keyed item; a few missing answers (listwise deletion).
n <- 120
t1 <- rnorm(n); t2 <- rnorm(n)
it <- function(t, rev = FALSE) {
  x <- pmin(4, pmax(1, round(2.5 + 0.8 * t + rnorm(n, 0, 0.8))))
  if (rev) 5 - x else x
}
items <- data.frame(family_id = sprintf("I%03d", 1:n),
                    a1 = it(t1), a2 = it(t1), a3 = it(t1), a4 = it(t1, rev = TRUE),
                    b1 = it(t2), b2 = it(t2), b3 = it(t2), b4 = it(t2), b5 = it(t2))
items$a2[c(3, 17)] <- NA
items$b5[9] <- NA
write.csv(items, "items_wide.csv", row.names = FALSE, na = "")
