# Reference values for impactkit.measures.attrition on the committed sample cohort (R 4.2, base stats).
# Run from this directory: Rscript reference_attrition.R
#   observed at a wave = at least one non-missing domain score; completer = observed at year2;
#   families with end_reason missing and no year2 score are ongoing and left out of profile and model.
#   Welch: t.test(completers, noncompleters, var.equal = FALSE); SMD = diff / sqrt((var1 + var2) / 2);
#   glm(noncompleter ~ intake scores, family = binomial) with confint.default (Wald).
options(digits = 17)
w <- read.csv("../../../data/sample/assessments.csv", stringsAsFactors = FALSE)
fam <- read.csv("../../../data/sample/families.csv", stringsAsFactors = FALSE, na.strings = "")
doms <- setdiff(names(w), c("family_id", "wave", "assessed_on"))
w$any <- rowSums(!is.na(w[, doms])) > 0
ids <- sort(unique(w$family_id))
obs <- sapply(c("intake", "year1", "year2"), function(v) ids %in% w$family_id[w$wave == v & w$any])
write.csv(data.frame(wave = colnames(obs), n_families = colSums(obs)), "attrition_flow_sample.csv",
          row.names = FALSE)
muni <- fam$municipality[match(ids, fam$family_id)]
flow_m <- do.call(rbind, lapply(sort(unique(muni)), function(m) data.frame(group = m, wave = colnames(obs),
                                                                        n_families = colSums(obs[muni == m, ]))))
write.csv(flow_m, "attrition_flow_municipality_sample.csv", row.names = FALSE)

reason <- fam$end_reason[match(ids, fam$family_id)]
completer <- obs[, "year2"]
keep <- !(is.na(reason) & !completer) & obs[, "intake"]
intake <- w[w$wave == "intake", ]
intake <- intake[match(ids, intake$family_id), ]
prof <- do.call(rbind, lapply(doms, function(dm) {
  a <- intake[[dm]][keep & completer]; a <- a[!is.na(a)]
  b <- intake[[dm]][keep & !completer]; b <- b[!is.na(b)]
  tt <- t.test(a, b, var.equal = FALSE)
  data.frame(domain = dm, n_completers = length(a), n_noncompleters = length(b), mean_completers = mean(a),
             mean_noncompleters = mean(b), sd_completers = sd(a), sd_noncompleters = sd(b),
             smd = (mean(a) - mean(b)) / sqrt((var(a) + var(b)) / 2), welch_t = unname(tt$statistic),
             welch_df = unname(tt$parameter), welch_p = tt$p.value)
}))
write.csv(prof, "attrition_profile_sample.csv", row.names = FALSE)

md <- intake[keep, doms]
md$noncompleter <- as.numeric(!completer[keep])
md <- md[complete.cases(md), ]
fit <- glm(reformulate(doms, "noncompleter"), family = binomial, data = md)
co <- summary(fit)$coefficients
ci <- confint.default(fit)
write.csv(data.frame(term = c("intercept", doms), estimate = co[, 1], se = co[, 2], z = co[, 3],
                     p_value = co[, 4], ci_low = ci[, 1], ci_high = ci[, 2]), "attrition_model_sample.csv",
          row.names = FALSE)
