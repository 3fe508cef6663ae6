# Reference values for impactkit.measures.describe and transitions on the sample cohort (R 4.2, base).
# Run from this directory: Rscript reference_describe.R
#   per domain x wave: n, mean, sd, median, share >= 4 (sufficient), share per level 1-5, n_missing
#   (families in the data without a score); transitions: table(intake level, year2 level) per domain.
options(digits = 17)
w <- read.csv("../../../data/sample/assessments.csv", stringsAsFactors = FALSE)
doms <- setdiff(names(w), c("family_id", "wave", "assessed_on"))
n_fam <- length(unique(w$family_id))
out <- list()
for (dm in doms) for (wv in c("intake", "year1", "year2")) {
  x <- w[[dm]][w$wave == wv]; x <- x[!is.na(x)]
  out[[length(out) + 1]] <- data.frame(domain = dm, wave = wv, n = length(x), n_missing = n_fam - length(x),
    mean = mean(x), sd = sd(x), median = median(x), share_sufficient = mean(x >= 4),
    share_level_1 = mean(x == 1), share_level_2 = mean(x == 2), share_level_3 = mean(x == 3),
    share_level_4 = mean(x == 4), share_level_5 = mean(x == 5))
}
write.csv(do.call(rbind, out), "describe_sample.csv", row.names = FALSE)

tr <- list()
for (dm in doms) {
  a <- w[w$wave == "intake", c("family_id", dm)]; b <- w[w$wave == "year2", c("family_id", dm)]
  m <- merge(a, b, by = "family_id"); m <- m[complete.cases(m), ]
  tab <- table(factor(m[[2]], levels = 1:5), factor(m[[3]], levels = 1:5))
  tr[[dm]] <- data.frame(domain = dm, from_level = rep(1:5, each = 5), to_level = rep(1:5, 5),
                         n = as.vector(t(tab)))
}
write.csv(do.call(rbind, tr), "transitions_sample.csv", row.names = FALSE)
